import type { WorkflowAction } from '../../catalog/schemas.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ApplicationDetail } from '../service.ts';
import { local } from './answers.tsx';

export interface WithdrawPageView {
  page: PageContext;
  detail: ApplicationDetail;
  action: WorkflowAction;
  reason?: string | undefined;
  reasonError?: string | undefined;
  formError?: string | undefined;
}

/** GET/POST /applications/:id/withdraw: the confirmation step before the applicant withdraws. */
export function WithdrawPage(props: WithdrawPageView) {
  const { page, detail, action } = props;
  const base = `/applications/${detail.id}`;
  const title = tr(page, 'applications.withdraw_title');
  const errors = [
    ...(props.reasonError ? [{ field: 'withdraw-reason', message: props.reasonError }] : []),
    ...(props.formError ? [{ message: props.formError }] : []),
  ];
  return (
    <Layout
      page={page}
      title={errors.length > 0 ? `${tr(page, 'applications.error_prefix')} ${title}` : title}
    >
      <p class="g-app-back">
        <a href={base}>{tr(page, 'applications.back')}</a>
      </p>
      <p class="g-app-step" safe>
        {local(page, detail.service.name)}
      </p>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={errors} />
      <p class="g-app-warning" safe>
        {tr(page, 'applications.withdraw_lead', {
          service: local(page, detail.service.name),
          number: detail.trackingNumber ?? '',
        })}
      </p>
      <form method="post" action={`${base}/withdraw`} class="g-app-form" novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="rowVersion" value={String(detail.rowVersion)} />
        <div class={`g-field${props.reasonError ? ' g-field--error' : ''}`}>
          <label class="g-field__label" for="withdraw-reason">
            {tr(
              page,
              action.requiresComment
                ? 'applications.withdraw_reason_required'
                : 'applications.withdraw_reason_optional',
            )}
          </label>
          {props.reasonError ? (
            <p class="g-field__error" id="withdraw-reason-error" safe>
              {props.reasonError}
            </p>
          ) : (
            ''
          )}
          <textarea
            class="g-input g-textarea"
            id="withdraw-reason"
            name="comment"
            rows="3"
            maxlength="2000"
            aria-describedby={props.reasonError ? 'withdraw-reason-error' : undefined}
            safe
          >
            {props.reason ?? ''}
          </textarea>
        </div>
        <div class="g-app-actions">
          <button type="submit" class="g-button g-button--warning">
            {tr(page, 'applications.withdraw_confirm')}
          </button>
          <a href={base}>{tr(page, 'applications.withdraw_keep')}</a>
        </div>
      </form>
    </Layout>
  );
}
