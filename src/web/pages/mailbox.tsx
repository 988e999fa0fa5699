import type { DemoMail } from '../../notifications/delivery.ts';
import { Layout, type PageContext, tr } from './layout.tsx';

export function MailboxPage(props: { page: PageContext; messages: DemoMail[] }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'mailbox.title')}>
      <h1>{tr(page, 'mailbox.title')}</h1>
      <p class="g-lead">{tr(page, 'mailbox.lead')}</p>
      {props.messages.length === 0 ? (
        <p>{tr(page, 'mailbox.empty')}</p>
      ) : (
        <ul class="g-cards">
          {props.messages.map((m) => (
            <li class="g-card">
              <h2 class="g-card__title" safe>
                {m.subject}
              </h2>
              <p class="g-card__meta" safe>
                {`${tr(page, 'mailbox.to')}: ${m.to} · ${m.channel.toUpperCase()} · ${m.createdAt}`}
              </p>
              <p safe>{m.body}</p>
            </li>
          ))}
        </ul>
      )}
    </Layout>
  );
}
