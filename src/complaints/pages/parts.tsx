/** Pieces shared by the complaint pages: labels, facts, the timeline, forms' small parts. */

import { dayText, momentText } from '../../applications/pages/inbox-format.tsx';
import { TrackingNumber } from '../../applications/pages/receipt-page.tsx';
import type { LocalText } from '../../catalog/schemas.ts';
import { TextArea } from '../../web/pages/field.tsx';
import { CsrfField, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ComplaintAction, ComplaintCategory, ComplaintMode, ReportType } from '../schemas.ts';
import type { ComplaintSummary, StateView, TimelineEntry } from '../views.ts';

export { dayText, momentText, TrackingNumber };

export function local(page: PageContext, text: LocalText | null): string {
  return text ? text[page.lang] : '';
}

export function typeLabel(page: PageContext, type: ReportType): string {
  return tr(page, `complaints.type.${type}`);
}

export function categoryLabel(page: PageContext, category: ComplaintCategory): string {
  return tr(page, `complaints.category.${category}`);
}

export function modeLabel(page: PageContext, mode: ComplaintMode): string {
  return tr(page, `complaints.mode.${mode}`);
}

export function StateBadge(props: { page: PageContext; state: StateView }) {
  return (
    <strong class="g-status" safe>
      {local(props.page, props.state.label)}
    </strong>
  );
}

/** The facts every reader may see: number, type, category, subject, place, dates, status. */
export function Facts(props: { page: PageContext; summary: ComplaintSummary; showMode?: boolean }) {
  const { page, summary } = props;
  return (
    <dl class="g-app-facts">
      <div>
        <dt>{tr(page, 'complaints.number')}</dt>
        <dd>
          <TrackingNumber number={summary.number} class="g-app-number" />
        </dd>
      </div>
      <div>
        <dt>{tr(page, 'complaints.status')}</dt>
        <dd>
          <StateBadge page={page} state={summary.state} />
        </dd>
      </div>
      <div>
        <dt>{tr(page, 'complaints.report_type')}</dt>
        <dd safe>{typeLabel(page, summary.reportType)}</dd>
      </div>
      <div>
        <dt>{tr(page, 'complaints.category')}</dt>
        <dd safe>{categoryLabel(page, summary.category)}</dd>
      </div>
      {props.showMode ? (
        <div>
          <dt>{tr(page, 'complaints.mode')}</dt>
          <dd safe>{modeLabel(page, summary.mode)}</dd>
        </div>
      ) : (
        ''
      )}
      {summary.agency ? (
        <div>
          <dt>{tr(page, 'complaints.agency')}</dt>
          <dd safe>{local(page, summary.agency)}</dd>
        </div>
      ) : (
        ''
      )}
      {summary.service ? (
        <div>
          <dt>{tr(page, 'complaints.service')}</dt>
          <dd safe>{local(page, summary.service)}</dd>
        </div>
      ) : (
        ''
      )}
      {summary.region ? (
        <div>
          <dt>{tr(page, 'complaints.location_fact')}</dt>
          <dd safe>{summary.region}</dd>
        </div>
      ) : (
        ''
      )}
      <div>
        <dt>{tr(page, 'complaints.filed_at')}</dt>
        <dd safe>{momentText(page, summary.filedAt)}</dd>
      </div>
      {summary.closedAt ? (
        <div>
          <dt>{tr(page, 'complaints.closed_at')}</dt>
          <dd safe>{momentText(page, summary.closedAt)}</dd>
        </div>
      ) : (
        ''
      )}
    </dl>
  );
}

function byText(page: PageContext, entry: TimelineEntry): string {
  const who = tr(page, `complaints.by.${entry.by}`);
  return entry.actorName ? `${who} (${entry.actorName})` : who;
}

/** Every step, oldest first, with who took it and the reason or answer given. */
export function Timeline(props: { page: PageContext; entries: readonly TimelineEntry[] }) {
  const { page } = props;
  return (
    <ol class="g-history">
      {props.entries.map((e) => {
        const what =
          e.kind === 'filed'
            ? tr(page, 'complaints.event_filed')
            : e.kind === 'redacted'
              ? tr(page, 'complaints.event_redacted')
              : `${local(page, e.action?.label ?? null)} → ${local(page, e.toState?.label ?? null)}`;
        return (
          <li>
            <span class="g-history__when" safe>
              {momentText(page, e.at)}
            </span>{' '}
            <span safe>{what}</span> <span class="g-muted" safe>{`— ${byText(page, e)}`}</span>
            {e.agency ? (
              <p safe>{tr(page, 'complaints.disposed_to', { agency: local(page, e.agency) })}</p>
            ) : (
              ''
            )}
            {e.comment ? (
              <p class="g-complaint__comment" safe>
                {e.comment}
              </p>
            ) : (
              ''
            )}
          </li>
        );
      })}
    </ol>
  );
}

/** The report's text as written, line breaks kept. */
export function ReportText(props: { text: string }) {
  return (
    <div class="g-complaint__text" safe>
      {props.text}
    </div>
  );
}

/** What an action form held when refused, so nothing typed is lost. */
export interface HeldForm {
  action: string;
  comment: string;
  agency: string;
  publicText: string;
  fieldErrors: Record<string, string>;
  formError: string | undefined;
}

/** The complainant's forms: accept the follow-up, or appeal it once with a reason. */
export function ComplainantActions(props: {
  page: PageContext;
  actions: readonly ComplaintAction[];
  rowVersion: number;
  /** Where the forms post. */
  target: string;
  /** Hidden fields the target needs besides the action (the number and secret on the tracking route). */
  hidden?: Record<string, string>;
  held?: HeldForm | undefined;
}) {
  const { page } = props;
  if (props.actions.length === 0) return '';
  return (
    <section aria-labelledby="reply-title">
      <h2 id="reply-title">{tr(page, 'complaints.reply_title')}</h2>
      <p>{tr(page, 'complaints.reply_lead')}</p>
      {props.actions.map((action) => {
        const held = props.held?.action === action.key ? props.held : undefined;
        const prefix = `c-${action.key}`;
        return (
          <form method="post" action={props.target} class="g-form g-card" novalidate>
            <CsrfField page={page} />
            {Object.entries(props.hidden ?? {}).map(([name, value]) => (
              <input type="hidden" name={name} value={value} />
            ))}
            <input type="hidden" name="action" value={action.key} />
            <input type="hidden" name="rowVersion" value={String(props.rowVersion)} />
            <h3 safe>{local(page, action.label)}</h3>
            {action.requiresComment ? (
              <TextArea
                id={`${prefix}-comment`}
                name="comment"
                label={tr(page, 'complaints.appeal_reason')}
                hint={tr(page, 'complaints.appeal_hint')}
                value={held?.comment ?? ''}
                error={held?.fieldErrors.comment}
                maxlength={5000}
              />
            ) : (
              <p>{tr(page, 'complaints.accept_lead')}</p>
            )}
            <button
              type="submit"
              class={action.key === 'accept' ? 'g-button' : 'g-button g-button--secondary'}
              safe
            >
              {local(page, action.label)}
            </button>
          </form>
        );
      })}
    </section>
  );
}

/** The deadline of the current step as a sentence, when there is one. */
export function dueText(page: PageContext, iso: string | null): string {
  return iso ? tr(page, 'complaints.due_by', { date: dayText(page, iso) }) : '';
}
