/** Complaint staff's pages: the admin's queue, the agency's inbox, one report, follow-up times. */
import { slaText } from '../../applications/pages/inbox-format.tsx';
import { TextArea } from '../../web/pages/field.tsx';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { TEXT_LIMITS } from '../filing.ts';
import { MAX_COMMENT_CHARS } from '../handling.ts';
import type { ComplaintAction } from '../schemas.ts';
import type { ComplaintSummary, StaffView } from '../views.ts';
import { ANSWER_ACTIONS, FOLLOW_UP_DAYS_RANGE } from '../workflow.ts';
import {
  categoryLabel,
  dayText,
  Facts,
  type HeldForm,
  local,
  ReportText,
  StateBadge,
  Timeline,
  TrackingNumber,
  typeLabel,
} from './parts.tsx';

export interface QueueProps {
  page: PageContext;
  kind: 'admin' | 'agency';
  items: readonly ComplaintSummary[];
  total: number;
  /** The state filter chosen: `open`, `all` or a state key. */
  filter: string;
  filters: { value: string; label: string }[];
}

/** GET /complaints/admin and /complaints/inbox: complaints by deadline, nearest first. */
export function QueuePage(props: QueueProps) {
  const { page } = props;
  const title = tr(page, props.kind === 'admin' ? 'complaints.admin_title' : 'complaints.inbox_title');
  const base = props.kind === 'admin' ? '/complaints/admin' : '/complaints/inbox';
  return (
    <Layout page={page} title={title}>
      <h1>{title}</h1>
      <p class="g-lead">
        {tr(page, props.kind === 'admin' ? 'complaints.admin_lead' : 'complaints.inbox_lead')}
      </p>
      {props.kind === 'admin' ? (
        <p>
          <a href="/complaints/admin/settings">{tr(page, 'complaints.settings_title')}</a>
        </p>
      ) : (
        ''
      )}
      <form method="get" action={base} class="g-form g-complaint-filter">
        <div class="g-field">
          <label class="g-field__label" for="state">
            {tr(page, 'complaints.status')}
          </label>
          <select class="g-select g-input" id="state" name="state">
            {props.filters.map((f) => (
              <option value={f.value} selected={f.value === props.filter} safe>
                {f.label}
              </option>
            ))}
          </select>
        </div>
        <button type="submit" class="g-button g-button--secondary">
          {tr(page, 'complaints.filter')}
        </button>
      </form>
      <p role="status">{tr(page, 'complaints.queue_count', { count: props.total })}</p>
      <ul class="g-cards g-complaint-list">
        {props.items.map((item) => (
          <li class="g-card">
            <h2 class="g-complaint-list__title">
              <a href={`/complaints/staff/${item.id}`}>
                <TrackingNumber number={item.number} class="g-app-number" />
              </a>
            </h2>
            <dl class="g-app-card__facts">
              <div>
                <dt>{tr(page, 'complaints.status')}</dt>
                <dd>
                  <StateBadge page={page} state={item.state} />
                </dd>
              </div>
              <div>
                <dt>{tr(page, 'complaints.report_type')}</dt>
                <dd safe>{`${typeLabel(page, item.reportType)} · ${categoryLabel(page, item.category)}`}</dd>
              </div>
              <div>
                <dt>{tr(page, 'complaints.agency')}</dt>
                <dd safe>{local(page, item.agency) || '—'}</dd>
              </div>
              <div>
                <dt>{tr(page, 'complaints.deadline')}</dt>
                <dd safe>{item.stateDueAt && !item.state.terminal ? dayText(page, item.stateDueAt) : '—'}</dd>
              </div>
            </dl>
          </li>
        ))}
      </ul>
    </Layout>
  );
}

function ActionForm(props: {
  page: PageContext;
  view: StaffView;
  action: ComplaintAction;
  held: HeldForm | undefined;
}) {
  const { page, view, action } = props;
  const held = props.held?.action === action.key ? props.held : undefined;
  const errors = held?.fieldErrors ?? {};
  const prefix = `a-${action.key}`;
  const publishes = (action.key === 'verify' || action.key === 'dispose') && view.mayPublish;
  const summary = [
    ...(held?.formError ? [{ message: held.formError }] : []),
    ...Object.entries(errors).map(([field, message]) => ({ field: `${prefix}-${field}`, message })),
  ];
  const answer = ANSWER_ACTIONS.includes(action.key);
  return (
    <section class="g-card" aria-labelledby={`${prefix}-title`}>
      <h3 id={`${prefix}-title`} safe>
        {local(page, action.label)}
      </h3>
      {held ? <ErrorSummary page={page} errors={summary} /> : ''}
      <form method="post" action={`/complaints/staff/${view.id}/actions`} class="g-form" novalidate>
        <CsrfField page={page} />
        <input type="hidden" name="action" value={action.key} />
        <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
        {action.key === 'dispose' ? (
          <div class={errors.agency ? 'g-field g-field--error' : 'g-field'}>
            <label class="g-field__label" for={`${prefix}-agency`}>
              {tr(page, 'complaints.dispose_agency')}
            </label>
            {errors.agency ? (
              <p class="g-field__error" id={`${prefix}-agency-error`} safe>
                {errors.agency}
              </p>
            ) : (
              ''
            )}
            <select
              class="g-select g-input"
              id={`${prefix}-agency`}
              name="agency"
              aria-invalid={errors.agency ? 'true' : undefined}
            >
              <option value="">{tr(page, 'complaints.dispose_choose')}</option>
              {view.agencies.map((a) => (
                <option value={a.slug} selected={a.slug === held?.agency} safe>
                  {local(page, a.name)}
                </option>
              ))}
            </select>
          </div>
        ) : (
          ''
        )}
        <TextArea
          id={`${prefix}-comment`}
          name="comment"
          label={tr(
            page,
            answer
              ? 'complaints.answer_label'
              : action.requiresComment
                ? 'complaints.reason_required'
                : 'complaints.note',
          )}
          hint={tr(page, answer ? 'complaints.answer_hint' : 'complaints.reason_hint')}
          value={held?.comment ?? ''}
          error={errors.comment}
          maxlength={MAX_COMMENT_CHARS}
          rows={answer ? 6 : 3}
        />
        {publishes ? (
          <TextArea
            id={`${prefix}-publicText`}
            name="publicText"
            label={tr(page, 'complaints.public_text')}
            hint={tr(page, 'complaints.public_text_hint')}
            value={held?.publicText ?? view.publicText ?? view.text}
            error={errors.publicText}
            maxlength={TEXT_LIMITS.max}
            rows={6}
          />
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

function Identity(props: { page: PageContext; view: StaffView }) {
  const { page, view } = props;
  if (view.mode === 'anonymous' || !view.identity) return <p>{tr(page, 'complaints.identity_none')}</p>;
  return (
    <div
      class={
        view.mode === 'confidential'
          ? 'g-complaint__identity g-complaint__identity--secret'
          : 'g-complaint__identity'
      }
    >
      {view.mode === 'confidential' ? (
        <p>
          <strong>{tr(page, 'complaints.identity_secret')}</strong>
        </p>
      ) : (
        ''
      )}
      <dl class="g-app-facts">
        <div>
          <dt>{tr(page, 'complaints.reporter_name')}</dt>
          <dd safe>{view.identity.name}</dd>
        </div>
        {view.identity.email ? (
          <div>
            <dt>{tr(page, 'complaints.email')}</dt>
            <dd safe>{view.identity.email}</dd>
          </div>
        ) : (
          ''
        )}
        {view.identity.phone ? (
          <div>
            <dt>{tr(page, 'complaints.phone')}</dt>
            <dd safe>{view.identity.phone}</dd>
          </div>
        ) : (
          ''
        )}
      </dl>
    </div>
  );
}

/** GET /complaints/staff/:id: everything about one report, and the forms of the steps this person may take. */
export function StaffDetailPage(props: {
  page: PageContext;
  view: StaffView;
  held?: HeldForm | undefined;
  redaction?: { text: string; error?: string | undefined } | undefined;
  flash?: string | undefined;
  error?: string | undefined;
}) {
  const { page, view } = props;
  const title = tr(page, 'complaints.status_title', { number: view.number });
  const back = page.principal?.grants.some((g) => g.role === 'complaint_admin')
    ? '/complaints/admin'
    : '/complaints/inbox';
  const sla = view.sla.state
    ? `${dayText(page, view.sla.state.dueAt)} — ${slaText(page, view.sla.state.status, false)}`
    : '';
  return (
    <Layout page={page} title={title}>
      <p>
        <a href={back}>{tr(page, 'complaints.back_to_queue')}</a>
      </p>
      <h1 safe>{title}</h1>
      <ErrorSummary page={page} errors={props.error ? [{ message: props.error }] : []} />
      {props.flash ? (
        <p class="g-notice" role="status" safe>
          {props.flash}
        </p>
      ) : (
        ''
      )}
      <Facts page={page} summary={view} showMode />
      {sla ? <p safe>{tr(page, 'complaints.deadline_is', { deadline: sla })}</p> : ''}
      <h2>{tr(page, 'complaints.reporter')}</h2>
      <Identity page={page} view={view} />
      <h2>{tr(page, 'complaints.report_title')}</h2>
      <ReportText text={view.text} />
      {view.attachments.length > 0 ? (
        <>
          <h3>{tr(page, 'complaints.attachments_staff')}</h3>
          <ul class="g-attachments">
            {view.attachments.map((a, i) => (
              <li>
                <a href={`/complaints/staff/${view.id}/attachments/${a.id}`} safe>
                  {tr(page, 'complaints.attachment_link', {
                    n: i + 1,
                    type: a.mime.split('/')[1]?.toUpperCase() ?? a.mime,
                    kb: Math.max(1, Math.ceil(a.size / 1024)),
                  })}
                </a>
              </li>
            ))}
          </ul>
        </>
      ) : (
        ''
      )}
      {view.state.terminal ? (
        ''
      ) : (
        <section aria-labelledby="actions-title">
          <h2 id="actions-title">{tr(page, 'complaints.actions_title')}</h2>
          {view.actions.length === 0 ? <p>{tr(page, 'complaints.actions_none')}</p> : ''}
          {view.actions.map((action) => (
            <ActionForm page={page} view={view} action={action} held={props.held} />
          ))}
        </section>
      )}
      <section aria-labelledby="publication-title">
        <h2 id="publication-title">{tr(page, 'complaints.publication_title')}</h2>
        {!view.canRedact ? (
          <p>{tr(page, 'complaints.published_no_staff')}</p>
        ) : (
          <>
            <p>{tr(page, view.published ? 'complaints.published_staff' : 'complaints.unpublished_staff')}</p>
            <form method="post" action={`/complaints/staff/${view.id}/redaction`} class="g-form" novalidate>
              <CsrfField page={page} />
              <input type="hidden" name="rowVersion" value={String(view.rowVersion)} />
              <TextArea
                id="redaction-publicText"
                name="publicText"
                label={tr(page, 'complaints.public_text')}
                hint={tr(page, 'complaints.redaction_hint')}
                value={props.redaction?.text ?? view.publicText ?? view.text}
                error={props.redaction?.error}
                maxlength={TEXT_LIMITS.max}
                rows={6}
              />
              <button type="submit" class="g-button g-button--secondary">
                {tr(page, 'complaints.redaction_submit')}
              </button>
            </form>
          </>
        )}
      </section>
      <h2>{tr(page, 'complaints.history_title')}</h2>
      <Timeline page={page} entries={view.timeline} />
    </Layout>
  );
}

/** GET /complaints/admin/settings: each agency's follow-up time in working days. */
export function SettingsPage(props: {
  page: PageContext;
  settings: { slug: string; name: { id: string; en: string }; followUpDays: number; isDefault: boolean }[];
  errors?: { agency: string; message: string } | undefined;
  flash?: string | undefined;
}) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'complaints.settings_title')}>
      <p>
        <a href="/complaints/admin">{tr(page, 'complaints.back_to_queue')}</a>
      </p>
      <h1>{tr(page, 'complaints.settings_title')}</h1>
      <p class="g-lead">
        {tr(page, 'complaints.settings_lead', {
          min: FOLLOW_UP_DAYS_RANGE.min,
          max: FOLLOW_UP_DAYS_RANGE.max,
        })}
      </p>
      <ErrorSummary
        page={page}
        errors={props.errors ? [{ field: `days-${props.errors.agency}`, message: props.errors.message }] : []}
      />
      {props.flash ? (
        <p class="g-notice" role="status" safe>
          {props.flash}
        </p>
      ) : (
        ''
      )}
      <div class="g-complaint__settings">
        {props.settings.map((s) => {
          const error = props.errors?.agency === s.slug ? props.errors.message : undefined;
          return (
            <form method="post" action="/complaints/admin/settings" class="g-form g-card" novalidate>
              <CsrfField page={page} />
              <input type="hidden" name="agency" value={s.slug} />
              <div class={error ? 'g-field g-field--error' : 'g-field'}>
                <label class="g-field__label" for={`days-${s.slug}`} safe>
                  {local(page, s.name)}
                </label>
                <p class="g-field__hint" id={`days-${s.slug}-hint`} safe>
                  {tr(page, s.isDefault ? 'complaints.settings_default' : 'complaints.settings_own')}
                </p>
                {error ? (
                  <p class="g-field__error" id={`days-${s.slug}-error`} safe>
                    {error}
                  </p>
                ) : (
                  ''
                )}
                <input
                  class="g-input g-input--short"
                  id={`days-${s.slug}`}
                  name="days"
                  inputmode="numeric"
                  value={String(s.followUpDays)}
                  aria-describedby={
                    error ? `days-${s.slug}-hint days-${s.slug}-error` : `days-${s.slug}-hint`
                  }
                  aria-invalid={error ? 'true' : undefined}
                />
              </div>
              <button type="submit" class="g-button g-button--secondary">
                {tr(page, 'complaints.settings_submit')}
                <span class="g-vh" safe>{`: ${local(page, s.name)}`}</span>
              </button>
            </form>
          );
        })}
      </div>
    </Layout>
  );
}
