import type { WorkflowAction } from '../../catalog/schemas.ts';
import type { MessageKey } from '../../web/i18n/index.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { HistoryEntry, InboxAttachment, InboxDetail } from '../inbox.ts';
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

const TYPE_NAMES: Record<string, string> = {
  'application/pdf': 'PDF',
  'image/jpeg': 'JPEG',
  'image/png': 'PNG',
};

function sizeText(page: PageContext, bytes: number): string {
  const locale = page.lang === 'id' ? 'id-ID' : 'en-GB';
  if (bytes < 1024 * 1024)
    return `${new Intl.NumberFormat(locale).format(Math.max(1, Math.ceil(bytes / 1024)))} KB`;
  return `${new Intl.NumberFormat(locale, { maximumFractionDigits: 1 }).format(bytes / (1024 * 1024))} MB`;
}

function downloadUrl(detail: InboxDetail, attachment: InboxAttachment): string {
  return `/inbox/${encodeURIComponent(detail.id)}/attachments/${encodeURIComponent(attachment.id)}`;
}

/** Download links for files: type and size in the link, when uploaded beside it. */
function AttachmentList(props: {
  page: PageContext;
  detail: InboxDetail;
  items: InboxAttachment[];
  /** Name each file's field too (files of a repeating group, officers' documents). */
  labelled?: boolean;
}) {
  const { page, detail } = props;
  if (props.items.length === 0) return '';
  return (
    <ul class="g-attachments">
      {props.items.map((a) => (
        <li>
          {props.labelled ? <span safe>{`${local(page, a.label)}: `}</span> : ''}
          <a href={downloadUrl(detail, a)} safe>
            {tr(page, 'inbox.attachment_download', {
              type: TYPE_NAMES[a.mime] ?? a.mime,
              size: sizeText(page, a.size),
            })}
          </a>{' '}
          <span class="g-muted" safe>
            {`(${tr(page, 'inbox.attachment_uploaded', { date: momentText(page, a.uploadedAt) })}${
              a.current ? '' : `; ${tr(page, 'inbox.attachment_replaced')}`
            })`}
          </span>
        </li>
      ))}
    </ul>
  );
}

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
            {e.attachmentId ? <HistoryDocument page={page} detail={detail} id={e.attachmentId} /> : ''}
          </li>
        );
      })}
    </ol>
  );
}

function HistoryDocument(props: { page: PageContext; detail: InboxDetail; id: string }) {
  const { page, detail } = props;
  const attachment = detail.attachments.find((a) => a.id === props.id);
  if (!attachment) return <p safe>{tr(page, 'inbox.attachment', { id: props.id })}</p>;
  return (
    <p>
      <a href={downloadUrl(detail, attachment)} safe>
        {tr(page, 'inbox.history_document', {
          type: TYPE_NAMES[attachment.mime] ?? attachment.mime,
          size: sizeText(page, attachment.size),
        })}
      </a>
    </p>
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
      <form
        method="post"
        action={`/inbox/${detail.id}/actions`}
        class="g-form"
        novalidate
        enctype={action.requiresDocument ? 'multipart/form-data' : undefined}
      >
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
          <DocumentField page={page} detail={detail} prefix={prefix} held={held} />
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

/** The file input of an action that requires a document; a document kept from a refused try is reused. */
function DocumentField(props: {
  page: PageContext;
  detail: InboxDetail;
  prefix: string;
  held: ActionFormState | undefined;
}) {
  const { page, detail, prefix, held } = props;
  const error = held?.fieldErrors.attachmentId;
  const kept = held?.attachmentId ? detail.attachments.find((a) => a.id === held.attachmentId) : undefined;
  const described = [`${prefix}-document-hint`, ...(error ? [`${prefix}-document-error`] : [])].join(' ');
  return (
    <div class={`g-field${error ? ' g-field--error' : ''}`}>
      <label class="g-field__label" for={`${prefix}-attachmentId`}>
        {tr(page, 'inbox.document')}
      </label>
      <p class="g-field__hint" id={`${prefix}-document-hint`}>
        {tr(page, 'inbox.document_hint')}
      </p>
      {error ? (
        <p class="g-field__error" id={`${prefix}-document-error`} safe>
          {error}
        </p>
      ) : (
        ''
      )}
      {kept ? (
        <p>
          <input type="hidden" name="attachmentId" value={kept.id} />
          {tr(page, 'inbox.document_kept')}{' '}
          <a href={downloadUrl(detail, kept)}>{tr(page, 'inbox.document_kept_link')}</a>
        </p>
      ) : (
        ''
      )}
      <input
        class="g-file"
        type="file"
        id={`${prefix}-attachmentId`}
        name="document"
        accept="application/pdf,image/jpeg,image/png,.pdf,.jpg,.jpeg,.png"
        aria-describedby={described}
      />
    </div>
  );
}

/** Officers' documents, and any file the form no longer names, so every visible file is reachable. */
function ActionDocuments(props: { page: PageContext; detail: InboxDetail }) {
  const { page, detail } = props;
  const formKeys = new Set(
    detail.sections.flatMap((s) =>
      s.fields.flatMap((f) => [f.key, ...(f.field.type === 'group' ? f.field.fields.map((g) => g.key) : [])]),
    ),
  );
  const items = detail.attachments.filter((a) => a.actionDocument || !formKeys.has(a.field));
  return (
    <section aria-labelledby="attachments-title">
      <h2 id="attachments-title">{tr(page, 'inbox.action_documents')}</h2>
      {items.length === 0 ? <p>{tr(page, 'inbox.action_documents_none')}</p> : ''}
      <AttachmentList page={page} detail={detail} items={items} labelled />
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
        <p class="g-muted">{tr(page, 'inbox.attachments_logged')}</p>
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
                const inner = f.field.type === 'group' ? f.field.fields.map((g) => g.key) : [];
                const files = detail.attachments.filter(
                  (a) => !a.actionDocument && (a.field === f.key || inner.includes(a.field)),
                );
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
                      {f.shown ? (
                        <AttachmentList
                          page={page}
                          detail={detail}
                          items={files}
                          labelled={inner.length > 0}
                        />
                      ) : (
                        ''
                      )}
                    </dd>
                  </div>
                );
              })}
            </dl>
          </section>
        ))}

        <ActionDocuments page={page} detail={detail} />

        <h2>{tr(page, 'inbox.history')}</h2>
        <History page={page} detail={detail} entries={detail.history} />
      </div>
    </Layout>
  );
}
