import { Layout, type PageContext, tr } from './layout.tsx';

export function ErrorPage(props: { page: PageContext; status: number; message: string }) {
  return (
    <Layout page={props.page} title={tr(props.page, 'error.title')}>
      <h1>{tr(props.page, 'error.title')}</h1>
      <p class="g-lead" safe>
        {props.message}
      </p>
      <p class="g-muted">HTTP {props.status}</p>
      <p>
        <a href="/">{tr(props.page, 'error.back_home')}</a>
      </p>
    </Layout>
  );
}
