import {
  CITIZEN_FORM_SCRIPT,
  CitizenFormSection,
  sectionHasFiles,
} from '../../catalog/pages/citizen-form.tsx';
import type { ServiceDefinition } from '../../catalog/schemas.ts';
import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { VersionNotice } from '../service.ts';
import { local, SectionAnswers } from './answers.tsx';

export interface SectionPageView {
  page: PageContext;
  applicationId: string;
  definition: ServiceDefinition;
  sectionIndex: number;
  values: Readonly<Record<string, unknown>>;
  errors?: ReadonlyMap<string, string>;
  summary?: { field?: string; message: string }[];
  focus?: string | undefined;
  /** Where the application's pages live; the citizen's `/applications/:id` unless given. */
  base?: string;
  /** Where "Back" leads from the first section; `base` unless given. */
  firstBack?: string;
  /** An officer fills the form in at the counter for a walk-in citizen. */
  counter?: boolean;
  /** The service changed since the draft was started (see `currentDraftVersion`). */
  versionNotice?: VersionNotice | undefined;
}

/** Tells the draft's editor that the service changed under the draft, in plain words. */
export function VersionNoticeBox(props: { page: PageContext; notice: VersionNotice | undefined }) {
  const { page, notice } = props;
  if (!notice) return '';
  if (notice.kind === 'withdrawn')
    return (
      <div class="g-app-warning" role="note">
        <h2>{tr(page, 'applications.version_withdrawn_title')}</h2>
        <p>{tr(page, 'applications.version_withdrawn')}</p>
      </div>
    );
  return (
    <div class="g-app-request" role="note">
      <h2>{tr(page, 'applications.version_moved_title')}</h2>
      <p safe>{tr(page, 'applications.version_moved', { version: notice.version })}</p>
      {notice.problems.length > 0 ? <p>{tr(page, 'applications.version_moved_problems')}</p> : ''}
    </div>
  );
}

/** GET/POST /applications/:id/sections/:n: one section of the form, "Langkah 2 dari 5". */
export function SectionPage(props: SectionPageView) {
  const { page, definition, sectionIndex, applicationId } = props;
  const section = definition.form.sections[sectionIndex];
  if (section === undefined) throw new RangeError(`no section ${sectionIndex}`);
  const total = definition.form.sections.length;
  const title = local(page, section.title);
  const base = props.base ?? `/applications/${applicationId}`;
  const back = sectionIndex > 0 ? `${base}/sections/${sectionIndex - 1}` : (props.firstBack ?? base);
  const readOnly = props.versionNotice?.kind === 'withdrawn';
  const hasErrors = (props.summary ?? []).length > 0;
  return (
    <Layout
      page={page}
      title={hasErrors ? `${tr(page, 'applications.error_prefix')} ${title}` : title}
      scripts={[CITIZEN_FORM_SCRIPT]}
    >
      <p class="g-app-back">
        <a href={back}>{tr(page, 'applications.back')}</a>
      </p>
      <p class="g-app-step">
        <span safe>{local(page, definition.name)}</span>
        <br />
        <span class="g-app-step__count">{tr(page, 'applications.step', { n: sectionIndex + 1, total })}</span>
      </p>
      <h1 safe>{title}</h1>
      {props.counter ? (
        <p>
          <strong class="g-status">{tr(page, 'applications.counter_filled_by')}</strong>
        </p>
      ) : (
        ''
      )}
      <VersionNoticeBox page={page} notice={props.versionNotice} />
      <ErrorSummary page={page} errors={props.summary ?? []} />
      {readOnly ? (
        <SectionAnswers page={page} definition={definition} section={section} answers={props.values} />
      ) : (
        <form
          method="post"
          action={`${base}/sections/${sectionIndex}`}
          class="g-app-form"
          novalidate
          enctype={sectionHasFiles(definition, sectionIndex) ? 'multipart/form-data' : undefined}
        >
          <CsrfField page={page} />
          <CitizenFormSection
            page={page}
            definition={definition}
            sectionIndex={sectionIndex}
            values={props.values}
            errors={props.errors}
            focus={props.focus}
          />
          <div class="g-app-actions">
            <button type="submit" class="g-button" name="_action" value="next">
              {sectionIndex + 1 < total
                ? tr(page, 'applications.save_continue')
                : tr(page, 'applications.save_review')}
            </button>
            <button
              type="submit"
              class="g-button g-button--secondary"
              name="_action"
              value="later"
              formnovalidate
            >
              {tr(page, 'applications.save_later')}
            </button>
          </div>
        </form>
      )}
    </Layout>
  );
}
