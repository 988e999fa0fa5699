import { hasRole, INBOX_ROLES, type Principal } from '../../identity/roles.ts';
import { type Lang, type MessageKey, t } from '../i18n/index.ts';

/** What every page needs to render its frame. */
export interface PageContext {
  lang: Lang;
  principal: Principal | null;
  csrfToken: string;
  isDemo: boolean;
  path: string;
}

export function tr(page: PageContext, key: MessageKey, params?: Record<string, unknown>): string {
  return t(page.lang, key, params);
}

export function Layout(props: {
  page: PageContext;
  title: string;
  /** Extra stylesheets and scripts under /static, for the pages that need them (kept off the others). */
  stylesheets?: readonly string[];
  scripts?: readonly string[];
  children?: JSX.Element | JSX.Element[] | string;
}) {
  const { page } = props;
  const otherLang: Lang = page.lang === 'id' ? 'en' : 'id';
  return (
    <>
      {'<!doctype html>'}
      <html lang={page.lang}>
        <head>
          <meta charset="utf-8" />
          <meta name="viewport" content="width=device-width, initial-scale=1" />
          <title safe>{`${props.title} — Gapura`}</title>
          <link rel="stylesheet" href="/static/gapura.css" />
          {(props.stylesheets ?? []).map((href) => (
            <link rel="stylesheet" href={href} />
          ))}
          {(props.scripts ?? []).map((src) => (
            <script src={src} defer />
          ))}
        </head>
        <body>
          <a class="g-skip" href="#main">
            {tr(page, 'layout.skip')}
          </a>
          {page.isDemo ? (
            <div class="g-demo" role="note">
              {tr(page, 'layout.demo')}
            </div>
          ) : (
            ''
          )}
          <header class="g-header">
            <a class="g-header__brand" href="/">
              {tr(page, 'app.name')}
            </a>
            <nav class="g-header__nav" aria-label={tr(page, 'nav.main')}>
              <a href="/">{tr(page, 'nav.home')}</a>
              <a href="/services">{tr(page, 'nav.services')}</a>
              <a href="/complaints">{tr(page, 'nav.complaints')}</a>
              {page.principal?.kind === 'citizen' ? (
                <a href="/applications">{tr(page, 'applications.my_title')}</a>
              ) : (
                ''
              )}
              {INBOX_ROLES.some((role) => hasRole(page.principal, role)) ? (
                <a href="/inbox">{tr(page, 'inbox.title')}</a>
              ) : (
                ''
              )}
              {hasRole(page.principal, 'complaint_admin') ? (
                <a href="/complaints/admin">{tr(page, 'complaints.admin_title')}</a>
              ) : hasRole(page.principal, 'complaint_handler') || hasRole(page.principal, 'supervisor') ? (
                <a href="/complaints/inbox">{tr(page, 'complaints.inbox_title')}</a>
              ) : (
                ''
              )}
              {hasRole(page.principal, 'counter_officer') ? (
                <a href="/counter">{tr(page, 'nav.counter')}</a>
              ) : (
                ''
              )}
              {hasRole(page.principal, 'agency_admin') ? (
                <a href="/admin/services">{tr(page, 'nav.my_services')}</a>
              ) : (
                ''
              )}
              {hasRole(page.principal, 'agency_admin') || hasRole(page.principal, 'platform_admin') ? (
                <a href="/admin/staff">{tr(page, 'nav.staff')}</a>
              ) : (
                ''
              )}
              {hasRole(page.principal, 'platform_admin') ? (
                <a href="/admin/platform/agencies">{tr(page, 'nav.platform')}</a>
              ) : (
                ''
              )}
              {/* No unread count here: that would cost a query on every page; /notifications shows it. */}
              {page.principal ? <a href="/notifications">{tr(page, 'notifications.nav')}</a> : ''}
              {page.principal ? (
                <a href="/account">{tr(page, 'nav.account')}</a>
              ) : (
                <a href="/signin">{tr(page, 'nav.signin')}</a>
              )}
              <a
                href={`/lang/${otherLang}?next=${encodeURIComponent(page.path)}`}
                lang={otherLang}
                hreflang={otherLang}
              >
                {tr(page, 'layout.switch_language')}
              </a>
            </nav>
          </header>
          <main id="main" class="g-main" tabindex="-1">
            {props.children as 'safe'}
          </main>
          <footer class="g-footer">
            {tr(page, 'footer.text')} <a href="/open-data">{tr(page, 'opendata.footer_link')}</a>
          </footer>
        </body>
      </html>
    </>
  );
}

/** The error-summary pattern: a list at the top linking to each field with a problem. */
export function ErrorSummary(props: { page: PageContext; errors: { field?: string; message: string }[] }) {
  if (props.errors.length === 0) return '';
  return (
    <div class="g-error-summary" role="alert" tabindex="-1">
      <h2 class="g-error-summary__title">{tr(props.page, 'error.summary_title')}</h2>
      <ul>
        {props.errors.map((e) =>
          e.field ? (
            <li>
              <a href={`#${e.field}`} safe>
                {e.message}
              </a>
            </li>
          ) : (
            <li safe>{e.message}</li>
          ),
        )}
      </ul>
    </div>
  );
}

export function CsrfField(props: { page: PageContext }) {
  return <input type="hidden" name="_csrf" value={props.page.csrfToken} />;
}
