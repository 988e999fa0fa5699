import { daysText, feeText } from '../../catalog/pages/catalogue-format.ts';
import type { PublishedService } from '../../catalog/service.ts';
import { CsrfField, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { local } from './answers.tsx';

/**
 * GET /services/:slug/apply: what to have ready before starting (requirements, time, fee), then a
 * button that starts a draft, or for a visitor the ways to sign in or register and come back here.
 */
export function StartPage(props: { page: PageContext; service: PublishedService }) {
  const { page, service } = props;
  const { entry, definition } = service;
  const name = local(page, entry.name);
  const here = `/services/${encodeURIComponent(entry.slug)}/apply`;
  const next = `?next=${encodeURIComponent(here)}`;
  const principal = page.principal;
  return (
    <Layout page={page} title={tr(page, 'applications.start_title', { service: name })}>
      <p class="g-app-back">
        <a href={`/services/${encodeURIComponent(entry.slug)}`}>{tr(page, 'applications.back_to_service')}</a>
      </p>
      <h1 safe>{tr(page, 'applications.start_title', { service: name })}</h1>
      <p class="g-lead" safe>
        {local(page, entry.agency.name)}
      </p>
      <h2>{tr(page, 'applications.start_need')}</h2>
      <ul class="g-checklist">
        {definition.standard.requirements.map((r) => (
          <li safe>{local(page, r)}</li>
        ))}
      </ul>
      <dl class="g-app-facts">
        <div>
          <dt>{tr(page, 'catalogue.time')}</dt>
          <dd>{daysText(page, entry.completionDays)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'catalogue.fee')}</dt>
          <dd>{feeText(page, entry.feeRupiah)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'applications.start_steps')}</dt>
          <dd>{tr(page, 'applications.start_steps_count', { count: definition.form.sections.length })}</dd>
        </div>
      </dl>
      <p>{tr(page, 'applications.start_saved')}</p>
      {principal === null ? (
        <>
          <p>{tr(page, 'applications.start_signin_needed')}</p>
          <p class="g-app-actions">
            <a class="g-button" href={`/signin${next}`}>
              {tr(page, 'applications.start_signin')}
            </a>
            <a class="g-button g-button--secondary" href={`/register${next}`}>
              {tr(page, 'applications.start_register')}
            </a>
          </p>
        </>
      ) : principal.kind !== 'citizen' ? (
        <p class="g-notice">{tr(page, 'applications.start_staff')}</p>
      ) : (
        <form method="post" action={here} class="g-app-actions">
          <CsrfField page={page} />
          <button type="submit" class="g-button">
            {tr(page, 'applications.start_button')}
          </button>
        </form>
      )}
    </Layout>
  );
}
