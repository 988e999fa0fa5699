import type { ServiceDefinition } from '../../catalog/schemas.ts';
import { APPLICANT_ROLE } from '../../catalog/schemas.ts';
import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { ApplicationDetail, ApplicationView } from '../service.ts';
import { dateText, dateTimeText, local, SectionAnswers } from './answers.tsx';
import { TrackingNumber } from './receipt-page.tsx';

/** The label of an application's stage and state: "Draf", the state's label, or its outcome. */
export function statusLabel(page: PageContext, view: Pick<ApplicationView, 'stage' | 'state'>): string {
  if (view.stage === 'draft') return tr(page, 'applications.draft');
  return view.state ? local(page, view.state.label) : tr(page, 'applications.filed');
}

export interface NextSteps {
  /** Who acts next, in words ("Verifikator"), empty when nobody (a terminal state) or the applicant. */
  waitingFor: string[];
  /** Where it can go from here: the action's label and the state it leads to. */
  steps: { action: string; to: string }[];
  terminal: boolean;
  applicantTurn: boolean;
}

/** What can happen next from the current state, read from the workflow. */
export function nextSteps(page: PageContext, definition: ServiceDefinition, stateKey: string): NextSteps {
  const states = definition.workflow.states;
  const state = states.find((s) => s.key === stateKey);
  const actions = definition.workflow.actions.filter((a) =>
    (Array.isArray(a.from) ? a.from : [a.from]).includes(stateKey),
  );
  const roles = new Set<string>();
  const steps: { action: string; to: string }[] = [];
  for (const action of actions) {
    const staffRoles = action.roles.filter((r) => r !== APPLICANT_ROLE);
    if (staffRoles.length === 0) continue;
    for (const role of staffRoles) roles.add(tr(page, `role.${role}`));
    const to = states.find((s) => s.key === action.to);
    steps.push({ action: local(page, action.label), to: to ? local(page, to.label) : action.to });
  }
  return {
    waitingFor: [...roles],
    steps,
    terminal: state?.terminal !== undefined,
    applicantTurn: state?.applicantCanEdit === true,
  };
}

function historyText(
  page: PageContext,
  definition: ServiceDefinition,
  event: ApplicationDetail['history'][number],
) {
  const stateLabel = (key: string | null) => {
    const state = key ? definition.workflow.states.find((s) => s.key === key) : undefined;
    return state ? local(page, state.label) : (key ?? '');
  };
  if (event.kind === 'created') return tr(page, 'applications.history_created');
  if (event.kind === 'submitted')
    return tr(page, 'applications.history_submitted', { state: stateLabel(event.toState) });
  const action = event.action ? definition.workflow.actions.find((a) => a.key === event.action) : undefined;
  const what = action ? local(page, action.label) : event.kind;
  return event.toState ? `${what} → ${stateLabel(event.toState)}` : what;
}

/** GET /applications/:id: where the application stands, what happens next, its history and answers. */
export function StatusPage(props: { page: PageContext; detail: ApplicationDetail }) {
  const { page, detail } = props;
  const definition = detail.definition;
  const base = `/applications/${detail.id}`;
  const title = local(page, detail.service.name);
  const next = detail.state ? nextSteps(page, definition, detail.state.key) : undefined;
  return (
    <Layout page={page} title={title}>
      <p class="g-app-step" safe>
        {local(page, detail.agency.name)}
      </p>
      <h1 safe>{title}</h1>
      <dl class="g-app-facts">
        <div>
          <dt>{tr(page, 'applications.status')}</dt>
          <dd>
            <strong class="g-status" safe>
              {statusLabel(page, detail)}
            </strong>
          </dd>
        </div>
        {detail.trackingNumber ? (
          <div>
            <dt>{tr(page, 'applications.tracking_number')}</dt>
            <dd>
              <TrackingNumber number={detail.trackingNumber} class="g-app-number" />
            </dd>
          </div>
        ) : (
          ''
        )}
        {detail.submittedAt ? (
          <div>
            <dt>{tr(page, 'applications.submitted')}</dt>
            <dd>{dateTimeText(page.lang, detail.submittedAt)}</dd>
          </div>
        ) : (
          ''
        )}
        {detail.dueAt && !next?.terminal ? (
          <div>
            <dt>{tr(page, 'applications.due')}</dt>
            <dd>
              {tr(page, 'applications.due_at_latest', { date: dateText(page.lang, detail.dueAt, 'full') })}
            </dd>
          </div>
        ) : (
          ''
        )}
      </dl>

      {detail.stage === 'draft' ? (
        <>
          <p>{tr(page, 'applications.draft_lead')}</p>
          <p class="g-app-actions">
            <a class="g-button" href={`${base}/sections/0`}>
              {tr(page, 'applications.continue')}
            </a>
            <a class="g-button g-button--secondary" href={`${base}/review`}>
              {tr(page, 'applications.review_title')}
            </a>
          </p>
        </>
      ) : (
        <>
          <h2>{tr(page, 'applications.next_title')}</h2>
          {next === undefined || next.terminal ? (
            <p>{tr(page, 'applications.next_done')}</p>
          ) : next.applicantTurn ? (
            <p>{tr(page, 'applications.next_yours')}</p>
          ) : (
            <>
              <p safe>
                {next.waitingFor.length > 0
                  ? tr(page, 'applications.next_waiting', { who: next.waitingFor.join(', ') })
                  : tr(page, 'applications.next_waiting_agency')}
              </p>
              {next.steps.length > 0 ? (
                <>
                  <p>{tr(page, 'applications.next_possible')}</p>
                  <ul class="g-list">
                    {next.steps.map((s) => (
                      <li safe>{`${s.action} → ${s.to}`}</li>
                    ))}
                  </ul>
                </>
              ) : (
                ''
              )}
            </>
          )}
          <p>
            <a href={`${base}/receipt`}>{tr(page, 'applications.see_receipt')}</a>
          </p>
        </>
      )}

      <h2>{tr(page, 'applications.history_title')}</h2>
      <ol class="g-history">
        {detail.history.map((event) => (
          <li>
            <span class="g-history__when">{dateTimeText(page.lang, event.at)}</span>{' '}
            <span safe>{historyText(page, definition, event)}</span>
          </li>
        ))}
      </ol>

      <details class="g-app-details">
        <summary>{tr(page, 'applications.answers_title')}</summary>
        {definition.form.sections.map((section) => (
          <>
            <h3 safe>{local(page, section.title)}</h3>
            <SectionAnswers page={page} definition={definition} section={section} answers={detail.answers} />
          </>
        ))}
      </details>
    </Layout>
  );
}
