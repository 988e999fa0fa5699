import { CsrfField, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { NOTIFICATION_LIST_LIMIT, type NotificationList } from '../in-app.ts';

const LOCALES = { id: 'id-ID', en: 'en-GB' } as const;

function momentText(page: PageContext, iso: string): string {
  const date = new Date(iso);
  if (Number.isNaN(date.getTime())) return '';
  const text = new Intl.DateTimeFormat(LOCALES[page.lang], {
    dateStyle: 'medium',
    timeStyle: 'short',
    timeZone: 'Asia/Jakarta',
  }).format(date);
  return `${text} WIB`;
}

/** The signed-in person's notifications, newest first; unread ones say so in words, not colour alone. */
export function NotificationsPage(props: { page: PageContext; list: NotificationList; flash?: string }) {
  const { page, list } = props;
  const title = tr(page, 'notifications.title');
  return (
    <Layout page={page} title={list.unread > 0 ? `${title} (${list.unread})` : title}>
      <h1>{title}</h1>
      <p class="g-lead">{tr(page, 'notifications.lead')}</p>
      {props.flash ? (
        <p class="g-notice" role="status" safe>
          {props.flash}
        </p>
      ) : (
        ''
      )}
      <p>
        <strong>
          {list.unread > 0
            ? tr(page, 'notifications.unread_count', { count: list.unread })
            : tr(page, 'notifications.all_read')}
        </strong>
      </p>
      {list.unread > 0 ? (
        <form method="post" action="/notifications/read" class="g-inline-form">
          <CsrfField page={page} />
          <button type="submit" class="g-button g-button--secondary">
            {tr(page, 'notifications.mark_read')}
          </button>
        </form>
      ) : (
        ''
      )}
      {list.items.length === 0 ? (
        <p>{tr(page, 'notifications.empty')}</p>
      ) : (
        <ol class="g-cards">
          {list.items.map((n) => (
            <li class={n.isRead ? 'g-card' : 'g-card g-card--unread'}>
              <h2 class="g-card__title">
                {n.isRead ? '' : <strong>{`${tr(page, 'notifications.unread')}: `}</strong>}
                <span safe>{n.subject}</span>
              </h2>
              <p class="g-card__meta" safe>
                {momentText(page, n.createdAt)}
              </p>
              <p safe>{n.body}</p>
              {n.application ? (
                <p>
                  <a href={n.application.url} safe>
                    {tr(page, 'notifications.open_application', { number: n.application.trackingNumber })}
                  </a>
                </p>
              ) : (
                ''
              )}
            </li>
          ))}
        </ol>
      )}
      {list.items.length >= NOTIFICATION_LIST_LIMIT ? (
        <p class="g-muted">{tr(page, 'notifications.limit', { count: NOTIFICATION_LIST_LIMIT })}</p>
      ) : (
        ''
      )}
    </Layout>
  );
}
