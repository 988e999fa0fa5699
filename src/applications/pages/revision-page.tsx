import {
  CITIZEN_FORM_SCRIPT,
  CitizenFormSection,
  sectionHasFiles,
} from '../../catalog/pages/citizen-form.tsx';
import type { FormField, ServiceDefinition, WorkflowAction } from '../../catalog/schemas.ts';
import { t } from '../../web/i18n/index.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { RevisionRequest } from '../processing.ts';
import { dateText, local } from './answers.tsx';

/**
 * The definition the revision form is drawn from: every section loses the fields the officer
 * flagged, and one last section holds exactly those, in their order. Rules still see every other
 * answer (they come before), so a flagged field shows or hides as it did on the full form, and the
 * form reader picks up nothing but the flagged fields.
 */
export function revisionDefinition(
  definition: ServiceDefinition,
  flagged: readonly string[],
  title: ServiceDefinition['name'],
): ServiceDefinition {
  const keys = new Set(flagged);
  const fields: FormField[] = definition.form.sections.flatMap((s) =>
    s.fields.filter((f) => keys.has(f.key)),
  );
  return {
    ...definition,
    form: {
      sections: [
        ...definition.form.sections.map((s) => ({ ...s, fields: s.fields.filter((f) => !keys.has(f.key)) })),
        { key: 'perbaikan', title, fields },
      ],
    },
  };
}

/** The index of the revision section in {@link revisionDefinition}'s form. */
export function revisionSectionIndex(definition: ServiceDefinition): number {
  return definition.form.sections.length;
}

/** The labels of the flagged fields, in form order; keys no longer on the form are shown as keys. */
export function flaggedLabels(page: PageContext, definition: ServiceDefinition, flagged: readonly string[]) {
  const fields = definition.form.sections.flatMap((s) => s.fields);
  const known = fields.filter((f) => flagged.includes(f.key)).map((f) => local(page, f.label));
  const unknown = flagged.filter((key) => !fields.some((f) => f.key === key));
  return [...known, ...unknown];
}

/** What the agency asked for: when, which fields, and the officer's note. */
export function RevisionRequestBox(props: {
  page: PageContext;
  definition: ServiceDefinition;
  request: RevisionRequest;
  headingLevel: 'h2' | 'h3';
}) {
  const { page, request } = props;
  const Heading = props.headingLevel;
  return (
    <section class="g-app-request" aria-labelledby="revision-request">
      <Heading id="revision-request">{tr(page, 'applications.revision_title')}</Heading>
      <p>
        {tr(page, 'applications.revision_lead', { date: dateText(page.lang, request.requestedAt, 'full') })}
      </p>
      <ul class="g-list">
        {flaggedLabels(page, props.definition, request.flaggedFields).map((label) => (
          <li safe>{label}</li>
        ))}
      </ul>
      {request.comment ? (
        <>
          <p class="g-app-request__label">{tr(page, 'applications.revision_comment')}</p>
          <blockquote class="g-app-request__comment" safe>
            {request.comment}
          </blockquote>
        </>
      ) : (
        ''
      )}
    </section>
  );
}

/** The applicant's resubmit: the version they saw and, when the workflow wants one, a note. */
export function ResubmitForm(props: {
  page: PageContext;
  applicationId: string;
  action: WorkflowAction;
  rowVersion: number;
  note?: string | undefined;
  noteError?: string | undefined;
}) {
  const { page, action } = props;
  const error = props.noteError;
  return (
    <form
      method="post"
      action={`/applications/${props.applicationId}/resubmit`}
      class="g-app-form"
      novalidate
    >
      <CsrfField page={page} />
      <input type="hidden" name="rowVersion" value={String(props.rowVersion)} />
      <div class={`g-field${error ? ' g-field--error' : ''}`}>
        <label class="g-field__label" for="resubmit-note">
          {tr(page, action.requiresComment ? 'applications.note_required' : 'applications.note_optional')}
        </label>
        {error ? (
          <p class="g-field__error" id="resubmit-note-error" safe>
            {error}
          </p>
        ) : (
          ''
        )}
        <textarea
          class="g-input g-textarea"
          id="resubmit-note"
          name="comment"
          rows="3"
          maxlength="2000"
          aria-describedby={error ? 'resubmit-note-error' : undefined}
          safe
        >
          {props.note ?? ''}
        </textarea>
      </div>
      <button type="submit" class="g-button">
        {tr(page, 'applications.resubmit')}
      </button>
    </form>
  );
}

export interface RevisionPageView {
  page: PageContext;
  applicationId: string;
  definition: ServiceDefinition;
  request: RevisionRequest;
  /** Answers to show in the flagged fields: stored ones, or what was just sent. */
  values: Readonly<Record<string, unknown>>;
  rowVersion: number;
  /** The fixes were saved since the request: the resubmit is offered. */
  saved: boolean;
  /** Just saved (the notice is shown). */
  justSaved?: boolean;
  resubmit?: WorkflowAction | undefined;
  errors?: ReadonlyMap<string, string>;
  summary?: { field?: string; message: string }[];
  focus?: string | undefined;
  note?: string | undefined;
  noteError?: string | undefined;
}

/** GET/POST /applications/:id/revision: only the fields the officer flagged, then the resubmit. */
export function RevisionPage(props: RevisionPageView) {
  const { page, definition, request, applicationId } = props;
  const base = `/applications/${applicationId}`;
  const form = revisionDefinition(definition, request.flaggedFields, {
    id: t('id', 'applications.revision_section'),
    en: t('en', 'applications.revision_section'),
  });
  const index = revisionSectionIndex(definition);
  const title = tr(page, 'applications.revision_page_title');
  const summary = props.summary ?? [];
  return (
    <Layout
      page={page}
      title={summary.length > 0 ? `${tr(page, 'applications.error_prefix')} ${title}` : title}
      scripts={[CITIZEN_FORM_SCRIPT]}
    >
      <p class="g-app-back">
        <a href={base}>{tr(page, 'applications.back')}</a>
      </p>
      <p class="g-app-step" safe>
        {local(page, definition.name)}
      </p>
      <h1>{title}</h1>
      <ErrorSummary page={page} errors={summary} />
      {props.justSaved ? (
        <p class="g-notice" role="status">
          {tr(page, 'applications.revision_saved')}
        </p>
      ) : (
        ''
      )}
      <RevisionRequestBox page={page} definition={definition} request={request} headingLevel="h2" />
      <h2>{tr(page, 'applications.revision_section')}</h2>
      <p class="g-muted">{tr(page, 'applications.revision_only')}</p>
      <form
        method="post"
        action={`${base}/revision`}
        class="g-app-form"
        novalidate
        enctype={sectionHasFiles(form, index) ? 'multipart/form-data' : undefined}
      >
        <CsrfField page={page} />
        <CitizenFormSection
          page={page}
          definition={form}
          sectionIndex={index}
          values={props.values}
          errors={props.errors}
          focus={props.focus}
        />
        <div class="g-app-actions">
          <button type="submit" class={props.saved ? 'g-button g-button--secondary' : 'g-button'}>
            {tr(page, 'applications.revision_save')}
          </button>
        </div>
      </form>
      {props.saved && props.resubmit ? (
        <section aria-labelledby="resubmit-title" class="g-app-resubmit">
          <h2 id="resubmit-title">{tr(page, 'applications.resubmit_title')}</h2>
          <p>{tr(page, 'applications.resubmit_lead')}</p>
          <ResubmitForm
            page={page}
            applicationId={applicationId}
            action={props.resubmit}
            rowVersion={props.rowVersion}
            note={props.note}
            noteError={props.noteError}
          />
        </section>
      ) : (
        ''
      )}
    </Layout>
  );
}
