import type { WorkflowAction } from '../../catalog/schemas.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { HistoryEntry, InboxDetail } from '../inbox.ts';
import { answerLines, dayText, local, momentText, slaText } from './inbox-format.tsx';

/** What an action form held when it was refused, so nothing typed is lost. */
export interface ActionFormState {
  action: string;
  comment: string;
  flaggedFields: string[];
  attachmentId: string;
  fieldErrors: Record<string, string>;
  formError: string | undefined;
}

const EVENT_KEYS: Record<string, MessageKey> = {
  created: 'inbox.event_created',
  submitted: 'inbox.event_submitted',
  revised: 'inbox.event_revised',
  identity_verified: 'inbox.event_identity_verified',
};

function History(props: { page: PageContext; detail: InboxDetail; entries: HistoryEntry[] }) {
  const { page, detail } = props;
  const labelOf = (key: string | null) => {
    const state = detail.definition.workflow.states.find((s) => s.key === key);
    return state ? local(page, state.label) : (key ?? '');
  };
  const fieldLabel = (key: string) => {
    for (const s of detail.sections) for (const f of s.fields) if (f.key === key) return local(page, f.label);
    return key;
  };
  return (
    <ol class="g-history">
      {props.entries.map((e) => {
        const what =
          e.kind === 'action' && e.actionLabel
            ? `${local(page, e.actionLabel)} → ${labelOf(e.toState)}`
            : tr(page, EVENT_KEYS[e.kind] ?? 'inbox.event_submitted');
        return (
          <li>
            <span class="g-history__when" safe>
              {momentText(page, e.at)}
            </span>{' '}
            <span safe>{what}</span>
            {e.actor ? <span safe>{` ${tr(page, 'inbox.by', { name: e.actor })}`}</span> : ''}
            {e.comment ? (
              <p class="g-answers__text" safe>
                {e.comment}
              </p>
            ) : (
              ''
            )}
            {e.kind === 'action' && e.flaggedFields.length > 0 ? (
              <p safe>{tr(page, 'inbox.flagged', { fields: e.flaggedFields.map(fieldLabel).join(', ') })}</p>
            ) : (
              ''
            )}
            {e.attachmentId ? <p safe>{tr(page, 'inbox.attachment', { id: e.attachmentId })}</p> : ''}
          </li>
        );
      })}
    </ol>
  );
}

function ActionForm(props: {
  page: PageContext;
  detail: InboxDetail;
  action: WorkflowAction;
  state: ActionFormState | undefined;
}) {
  const { page, detail, action } = props;
  const held = props.state?.action === action.key ? props.state : undefined;
  const errors = held?.fieldErrors ?? {};
  const prefix = `a-${action.key}`;
  const target = detail.definition.workflow.states.find((s) => s.key === action.to);
  const summary = [
    ...(held?.formError ? [{ message: held.formError }] : []),
    ...Object.entries(errors).map(([field, message]) => ({ field: `${prefix}-${field}`, message })),
  ];
  return (
    <section class="g-card" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} safe>
        {local(page, action.label)}
      </h3>
      <p class="g-muted" safe>
        {tr(page, 'inbox.action_to', { state: target ? local(page, target.label) : action.to })}
      </p>
      {held ? <ErrorSummary page={page} errors={summary} /> : ''}
      <form method="post" action={`/inbox/${detail.id}/actions`} class="g-form" novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="action" value={action.key} />
        <input type="hidden" name="rowVersion" value={String(detail.rowVersion)} />
        {action.kind === 'return_for_revision' ? (
          <fieldset
            class={`g-fieldset${errors.flaggedFields ? ' g-field--error' : ''}`}
            id={`${prefix}-flaggedFields`}
          >
            <legend>{tr(page, 'inbox.flag_fields')}</legend>
            {errors.flaggedFields ? (
              <p class="g-field__error" safe>
                {errors.flaggedFields}
              </p>
            ) : (
              ''
            )}
            {detail.sections.flatMap((s) =>
              s.fields.map((f) => (
                <div class="g-check">
                  <input
                    class="g-check__input"
                    type="checkbox"
                    id={`${prefix}-flag-${f.key}`}
                    name="flaggedFields"
                    value={f.key}
                    checked={held?.flaggedFields.includes(f.key) ?? false}
                  />
                  <label class="g-check__label" for={`${prefix}-flag-${f.key}`} safe>
                    {local(page, f.label)}
                  </label>
                </div>
              )),
            )}
          </fieldset>
        ) : (
          ''
        )}
        <div class={`g-field${errors.comment ? ' g-field--error' : ''}`}>
          <label class="g-field__label" for={`${prefix}-comment`}>
            {tr(page, action.requiresComment ? 'inbox.comment_required' : 'inbox.comment')}
          </label>
          <p class="g-field__hint" id={`${prefix}-comment-hint`}>
            {tr(page, 'inbox.comment_hint')}
          </p>
          {errors.comment ? (
            <p class="g-field__error" id={`${prefix}-comment-error`} safe>
              {errors.comment}
            </p>
          ) : (
            ''
          )}
          <textarea
            class="g-textarea"
            id={`${prefix}-comment`}
            name="comment"
            rows="3"
            maxlength="2000"
            aria-describedby={`${prefix}-comment-hint${errors.comment ? ` ${prefix}-comment-error` : ''}`}
            safe
          >
            {held?.comment ?? ''}
          </textarea>
        </div>
        {action.requiresDocument ? (
          <div class={`g-field${errors.attachmentId ? ' g-field--error' : ''}`}>
            <label class="g-field__label" for={`${prefix}-attachmentId`}>
              {tr(page, 'inbox.attachment_id')}
            </label>
            <p class="g-field__hint">{tr(page, 'inbox.attachment_hint')}</p>
            {errors.attachmentId ? (
              <p class="g-field__error" safe>
                {errors.attachmentId}
              </p>
            ) : (
              ''
            )}
            <input
              class="g-input"
              id={`${prefix}-attachmentId`}
              name="attachmentId"
              value={held?.attachmentId ?? ''}
              maxlength="200"
            />
          </div>
        ) : (
          ''
        )}
        <button
          type="submit"
          class={action.kind === 'reject' ? 'g-button g-button--secondary' : 'g-button'}
          safe
        >
          {local(page, action.label)}
        </button>
      </form>
    </section>
  );
}

export function InboxDetailPage(props: {
  page: PageContext;
  detail: InboxDetail;
  /** A success message after a claim, an action or a check. */
  flash?: string | undefined;
  /** A refusal that is not tied to one action form (claim, identity). */
  error?: string | undefined;
  /** Shown after a 409: the state the application is in now. */
  conflict?: boolean;
  form?: ActionFormState | undefined;
}) {
  const { page, detail } = props;
  const title = tr(page, 'inbox.detail_title', { number: detail.trackingNumber ?? detail.id });
  const sla = detail.sla;
  const outcomeKey: Record<string, MessageKey> = {
    approved: 'inbox.outcome_approved',
    rejected: 'inbox.outcome_rejected',
    withdrawn: 'inbox.outcome_withdrawn',
  };
  const topErrors = [
    ...(props.error ? [{ message: props.error }] : []),
    ...(props.form?.formError && !props.form.action ? [{ message: props.form.formError }] : []),
  ];
  return (
    <Layout page={page} title={title}>
      <div class="g-inbox">
        <p>
          <a href="/inbox">{tr(page, 'inbox.back')}</a>
        </p>
        <h1 safe>{title}</h1>
        <ErrorSummary page={page} errors={topErrors} />
        {props.flash ? (
          <p class="g-notice" role="status" safe>
            {props.flash}
          </p>
        ) : (
          ''
        )}
        {props.conflict ? (
          <p class="g-notice" role="status" safe>
            {tr(page, 'inbox.conflict_state', { state: detail.state ? local(page, detail.state.label) : '' })}
          </p>
        ) : (
          ''
        )}
        <dl class="g-app-facts">
          <div>
            <dt>{tr(page, 'inbox.service')}</dt>
            <dd safe>{local(page, detail.service.name)}</dd>
          </div>
          <div>
            <dt>{tr(page, 'inbox.state')}</dt>
            <dd>
              <strong class="g-status" safe>
                {detail.state ? local(page, detail.state.label) : ''}
              </strong>
            </dd>
          </div>
          <div>
            <dt>{tr(page, 'inbox.submitted')}</dt>
            <dd safe>{detail.submittedAt ? momentText(page, detail.submittedAt) : ''}</dd>
          </div>
        </dl>
        {detail.stage === 'closed' && detail.outcome ? (
          <p class="g-notice">
            {tr(page, 'inbox.closed', {
              outcome: tr(page, outcomeKey[detail.outcome] ?? 'inbox.outcome_approved'),
            })}
          </p>
        ) : (
          ''
        )}

        <h2>{tr(page, 'inbox.sla')}</h2>
        {sla.state || sla.overall ? (
          <dl class="g-app-facts">
            {sla.state ? (
              <div>
                <dt>{tr(page, 'inbox.state_deadline')}</dt>
                <dd
                  safe
                >{`${dayText(page, sla.state.dueAt)} — ${slaText(page, sla.state.status, false)}`}</dd>
              </div>
            ) : (
              ''
            )}
            {sla.overall ? (
              <div>
                <dt>{tr(page, 'inbox.overall_deadline')}</dt>
                <dd
                  safe
                >{`${dayText(page, sla.overall.dueAt)} — ${slaText(page, sla.overall.status, sla.paused)}`}</dd>
              </div>
            ) : (
              ''
            )}
          </dl>
        ) : (
          <p>{tr(page, 'inbox.sla_none')}</p>
        )}

        {detail.stage === 'active' ? (
          <section aria-labelledby="handling-title">
            <h2 id="handling-title">{tr(page, 'inbox.assigned')}</h2>
            {detail.assignedToMe ? (
              <p>{tr(page, 'inbox.claimed_you')}</p>
            ) : detail.assignedTo ? (
              <p safe>{tr(page, 'inbox.claimed_by', { name: detail.assignedTo.name })}</p>
            ) : (
              <form method="post" action={`/inbox/${detail.id}/claim`} class="g-inline-form">
                <CsrfField page={page} />
                <button type="submit" class="g-button">
                  {tr(page, 'inbox.claim')}
                </button>
              </form>
            )}
            {detail.assignees.length > 0 ? (
              <form method="post" action={`/inbox/${detail.id}/assign`} class="g-form">
                <CsrfField page={page} />
                <div class="g-field">
                  <label class="g-field__label" for="assign-user">
                    {tr(page, 'inbox.assign')}
                  </label>
                  <select class="g-select" id="assign-user" name="userId">
                    <option value="">{tr(page, 'inbox.assign_nobody')}</option>
                    {detail.assignees.map((a) => (
                      <option value={a.id} selected={a.id === detail.assignedTo?.id} safe>
                        {a.name}
                      </option>
                    ))}
                  </select>
                </div>
                <button type="submit" class="g-button g-button--secondary">
                  {tr(page, 'inbox.assign_submit')}
                </button>
              </form>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}

        {detail.identity.required ? (
          <section aria-labelledby="identity-title">
            <h2 id="identity-title">{tr(page, 'inbox.identity')}</h2>
            {detail.identity.verifiedAt ? (
              <p safe>
                {tr(page, 'inbox.identity_verified', { date: momentText(page, detail.identity.verifiedAt) })}
              </p>
            ) : (
              <p>{tr(page, 'inbox.identity_needed')}</p>
            )}
            {detail.identity.canVerify ? (
              <form method="post" action={`/inbox/${detail.id}/identity`} class="g-inline-form">
                <CsrfField page={page} />
                <button type="submit" class="g-button g-button--secondary">
                  {tr(page, 'inbox.identity_mark')}
                </button>
              </form>
            ) : (
              ''
            )}
          </section>
        ) : (
          ''
        )}

        {detail.stage === 'active' ? (
          <section aria-labelledby="actions-title">
            <h2 id="actions-title">{tr(page, 'inbox.actions')}</h2>
            {detail.actions.length === 0 ? <p>{tr(page, 'inbox.no_actions')}</p> : ''}
            {detail.actions.map((action) => (
              <ActionForm page={page} detail={detail} action={action} state={props.form} />
            ))}
          </section>
        ) : (
          ''
        )}

        <h2>{tr(page, 'inbox.answers')}</h2>
        <p class="g-muted">{tr(page, 'inbox.access_logged')}</p>
        {detail.revision?.comment ? (
          <p class="g-notice" safe>
            {tr(page, 'inbox.revision_comment', { comment: detail.revision.comment })}
          </p>
        ) : (
          ''
        )}
        {detail.sections.map((section) => (
          <section class="g-review__section">
            <h3 safe>{local(page, section.title)}</h3>
            <dl class="g-answers">
              {section.fields.map((f) => {
                const lines = f.shown ? answerLines(page, f.field, detail.answers[f.key]) : [];
                return (
                  <div class="g-answers__row">
                    <dt safe>{local(page, f.label)}</dt>
                    <dd>
                      {!f.shown ? (
                        <em>{tr(page, 'inbox.hidden_specific')}</em>
                      ) : lines.length === 0 ? (
                        <span class="g-answers__none">{tr(page, 'inbox.not_answered')}</span>
                      ) : (
                        lines.map((line) => (
                          <span class="g-answers__text" safe>
                            {line}
                            {'\n'}
                          </span>
                        ))
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </section>
        ))}

        <h2>{tr(page, 'inbox.history')}</h2>
        <History page={page} detail={detail} entries={detail.history} />
      </div>
    </Layout>
  );
}
