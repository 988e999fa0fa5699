import type { TrailEvent } from '../../audit/service.ts';
import type { ServiceDefinition, WorkflowAction } from '../../catalog/schemas.ts';
import { APPLICANT_ROLE } from '../../catalog/schemas.ts';
import type { DocumentSummary } from '../../documents/service.ts';
import { isMessageKey } from '../../web/i18n/index.ts';
import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { RevisionRequest } from '../processing.ts';
import type { ApplicationDetail, ApplicationView } from '../service.ts';
import { dateText, dateTimeText, local, SectionAnswers } from './answers.tsx';
import { TrackingNumber } from './receipt-page.tsx';
import { ResubmitForm, RevisionRequestBox } from './revision-page.tsx';

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
  if (event.kind === 'revised') return tr(page, 'applications.history_revised');
  if (event.kind === 'identity_verified') return tr(page, 'applications.history_identity');
  if (event.kind === 'submitted')
    return tr(page, 'applications.history_submitted', { state: stateLabel(event.toState) });
  const action = event.action ? definition.workflow.actions.find((a) => a.key === event.action) : undefined;
  const what = action ? local(page, action.label) : event.kind;
  return event.toState ? `${what} → ${stateLabel(event.toState)}` : what;
}

/** What the applicant can do and has been given, beside the application itself. */
export interface StatusExtras {
  /** In revision: the agency's request, whether the fixes were saved since, and the resubmit action. */
  revision?: { request: RevisionRequest; saved: boolean; resubmit: WorkflowAction | undefined } | undefined;
  /** The withdraw action the applicant may take from the current state. */
  withdraw?: WorkflowAction | undefined;
  documents?: readonly DocumentSummary[];
  /** For a rejection: the reason the agency gave (null when it gave none). */
  rejectionReason?: string | null | undefined;
  /** The application's events in the public audit log, with their inclusion proofs checked. */
  auditTrail?: readonly TrailEvent[];
  /** What the applicant just did (a notice on top). */
  done?: 'resubmitted' | 'withdrawn' | undefined;
}

function DocumentCard(props: {
  page: PageContext;
  definition: ServiceDefinition;
  document: DocumentSummary;
}) {
  const { page, document } = props;
  const name = local(page, props.definition.output.documentName);
  const base = `/applications/${document.applicationId}`;
  return (
    <div class="g-card g-app-doc">
      <h3 safe>{name}</h3>
      <dl class="g-app-facts">
        <div>
          <dt>{tr(page, 'applications.document_number')}</dt>
          <dd class="g-app-doc__number" safe>
            {document.number}
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'applications.document_issued')}</dt>
          <dd>{dateText(page.lang, document.issuedAt, 'full')}</dd>
        </div>
      </dl>
      {document.status === 'revoked' ? (
        <p class="g-app-warning">
          {tr(page, 'applications.document_revoked', {
            date: dateText(page.lang, document.revokedAt, 'full'),
          })}
        </p>
      ) : (
        ''
      )}
      <p class="g-app-actions">
        <a class="g-button" href={`${base}/documents/${document.id}.pdf`}>
          {tr(page, 'applications.document_download')}
          <span class="g-vh" safe>{`: ${name} ${document.number}`}</span>
        </a>
        <a href={`/verify/${document.id}`}>
          {tr(page, 'applications.document_verify')}
          <span class="g-vh" safe>{`: ${document.number}`}</span>
        </a>
      </p>
      <p class="g-muted">{tr(page, 'applications.document_verify_hint')}</p>
    </div>
  );
}

/**
 * The application's events as the public audit log holds them: what, when, the leaf index, and a
 * mark when the leaf's inclusion proof verifies against the latest signed tree head.
 */
function AuditTrail(props: { page: PageContext; events: readonly TrailEvent[] }) {
  const { page } = props;
  const verified = props.events.filter((e) => e.verified).length;
  return (
    <details class="g-app-details" id="audit">
      <summary>
        {tr(page, 'applications.audit_title')}{' '}
        <span class="g-muted">
          {tr(page, 'applications.audit_count', { verified, total: props.events.length })}
        </span>
      </summary>
      <p>{tr(page, 'applications.audit_lead')}</p>
      <ol class="g-history">
        {props.events.map((e) => (
          <li>
            <span class="g-history__when">{dateTimeText(page.lang, e.time)}</span>{' '}
            <span safe>{auditEventText(page, e.type)}</span>{' '}
            {e.leafIndex === null ? (
              <span class="g-muted">{tr(page, 'applications.audit_pending')}</span>
            ) : (
              <>
                <span class="g-muted">{tr(page, 'applications.audit_leaf', { index: e.leafIndex })}</span>{' '}
                {e.verified && e.treeSize !== null ? (
                  <a
                    class="g-verified"
                    href={`/api/v1/audit/proof/inclusion?leaf_index=${e.leafIndex}&tree_size=${e.treeSize}`}
                  >
                    {tr(page, 'applications.audit_verified', { size: e.treeSize })}
                  </a>
                ) : (
                  <span class="g-muted">{tr(page, 'applications.audit_not_yet')}</span>
                )}
              </>
            )}
          </li>
        ))}
      </ol>
      <p class="g-muted">{tr(page, 'applications.audit_how')}</p>
    </details>
  );
}

function auditEventText(page: PageContext, type: string): string {
  const key = `audit_event.${type}`;
  return isMessageKey(key) ? tr(page, key) : type;
}

/** GET /applications/:id: where the application stands, what happens next, its history and answers. */
export function StatusPage(props: { page: PageContext; detail: ApplicationDetail } & StatusExtras) {
  const { page, detail, revision } = props;
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
      {props.done ? (
        <p class="g-notice" role="status">
          {tr(
            page,
            props.done === 'resubmitted' ? 'applications.done_resubmitted' : 'applications.done_withdrawn',
          )}
        </p>
      ) : (
        ''
      )}

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
          {revision ? (
            <div class="g-app-revision">
              <RevisionRequestBox
                page={page}
                definition={definition}
                request={revision.request}
                headingLevel="h2"
              />
              <p class="g-app-actions">
                <a
                  class={revision.saved ? 'g-button g-button--secondary' : 'g-button'}
                  href={`${base}/revision`}
                >
                  {tr(page, 'applications.revision_fix')}
                </a>
              </p>
              {revision.saved && revision.resubmit ? (
                <>
                  <h3>{tr(page, 'applications.resubmit_title')}</h3>
                  <p>{tr(page, 'applications.resubmit_lead')}</p>
                  <ResubmitForm
                    page={page}
                    applicationId={detail.id}
                    action={revision.resubmit}
                    rowVersion={detail.rowVersion}
                  />
                </>
              ) : (
                <p class="g-muted">{tr(page, 'applications.resubmit_first')}</p>
              )}
            </div>
          ) : (
            ''
          )}
          {(props.documents ?? []).length > 0 ? (
            <section aria-labelledby="documents-title">
              <h2 id="documents-title">{tr(page, 'applications.documents_title')}</h2>
              {(props.documents ?? []).map((document) => (
                <DocumentCard page={page} definition={definition} document={document} />
              ))}
            </section>
          ) : (
            ''
          )}
          {detail.outcome === 'rejected' ? (
            <section aria-labelledby="rejection-title" class="g-app-rejection">
              <h2 id="rejection-title">{tr(page, 'applications.rejection_title')}</h2>
              {props.rejectionReason ? (
                <blockquote class="g-app-request__comment" safe>
                  {props.rejectionReason}
                </blockquote>
              ) : (
                <p>{tr(page, 'applications.rejection_none')}</p>
              )}
            </section>
          ) : (
            ''
          )}
          {detail.stage === 'closed' && (detail.outcome === 'approved' || detail.outcome === 'rejected') ? (
            <section aria-labelledby="survey-title">
              <h2 id="survey-title">{tr(page, 'survey.status_title')}</h2>
              <p>{tr(page, 'survey.status_lead')}</p>
              <p>
                <a class="g-button g-button--secondary" href={`${base}/survey`}>
                  {tr(page, 'survey.status_link')}
                </a>
              </p>
            </section>
          ) : (
            ''
          )}
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
          {props.withdraw ? (
            <div class="g-app-withdraw">
              <p>{tr(page, 'applications.withdraw_offer')}</p>
              <p>
                <a class="g-button g-button--secondary" href={`${base}/withdraw`}>
                  {tr(page, 'applications.withdraw')}
                </a>
              </p>
            </div>
          ) : (
            ''
          )}
          <p>
            <a href={`${base}/receipt`}>{tr(page, 'applications.see_receipt')}</a>
          </p>
          <p class="g-app-complain">
            {tr(page, 'complaints.complain_about_application_hint')}{' '}
            <a href={`/complaints/new?application=${detail.id}`}>
              {tr(page, 'complaints.complain_about_application')}
            </a>
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

      {props.auditTrail && props.auditTrail.length > 0 ? (
        <AuditTrail page={page} events={props.auditTrail} />
      ) : (
        ''
      )}

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
