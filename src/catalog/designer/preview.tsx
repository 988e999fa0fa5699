/**
 * The citizen form as an applicant would see it, one section at a time, with every control disabled.
 * A draft whose form does not validate yet is shown as a plain list of its questions instead.
 */
import type { MessageKey } from '../../web/i18n/index.ts';
import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import { CitizenFormSection } from '../pages/citizen-form.tsx';
import type { ServiceDefinition } from '../schemas.ts';
import { validateDefinition } from '../validate.ts';
import { DESIGNER_CSS, serviceName } from './editor-page.tsx';
import { type Doc, partOfPath } from './mapping.ts';

function record(value: unknown): Doc {
  return typeof value === 'object' && value !== null && !Array.isArray(value) ? (value as Doc) : {};
}

function array(value: unknown): unknown[] {
  return Array.isArray(value) ? value : [];
}

function textIn(page: PageContext, value: unknown): string {
  const local = record(value)[page.lang];
  return typeof local === 'string' ? local : '';
}

/** The definition to preview when the form itself is sound, even if other parts still have problems. */
function previewable(doc: unknown): ServiceDefinition | undefined {
  const checked = validateDefinition(doc);
  if (checked.ok) return checked.definition;
  if (checked.problems.some((p) => partOfPath(p.path) === 'form' || p.path === '')) return undefined;
  // Only the form is read by the renderer; problems elsewhere (an empty standard) do not matter here.
  return doc as ServiceDefinition;
}

function PlainList(props: { page: PageContext; fields: unknown[] }) {
  return (
    <ul class="d-plain-form">
      {props.fields.map((raw) => {
        const field = record(raw);
        return (
          <li>
            <span safe>{textIn(props.page, field.label) || String(field.key ?? '')}</span>{' '}
            <span class="d-tag" safe>
              {typeof field.type === 'string'
                ? tr(props.page, `designer.type.${field.type}` as MessageKey)
                : ''}
            </span>
            {field.required === true ? (
              <span class="g-muted">{` (${tr(props.page, 'designer.required_short')})`}</span>
            ) : (
              ''
            )}
            {Array.isArray(field.fields) ? <PlainList page={props.page} fields={field.fields} /> : ''}
          </li>
        );
      })}
    </ul>
  );
}

export function PreviewPage(props: {
  page: PageContext;
  slug: string;
  doc: unknown;
  version: number;
  status: string;
  section: number;
}) {
  const { page, slug } = props;
  const name = serviceName(page, props.doc, slug);
  const sections = array(record(record(props.doc).form).sections).map(record);
  const index = Math.min(props.section, Math.max(sections.length - 1, 0));
  const section = sections[index];
  const definition = previewable(props.doc);
  let body: string | undefined;
  if (definition && section) {
    try {
      body = CitizenFormSection({
        page,
        definition,
        sectionIndex: index,
        values: {},
        disabled: true,
      }) as string;
    } catch {
      body = undefined;
    }
  }
  return (
    <Layout page={page} title={`${tr(page, 'designer.preview')} — ${name}`} stylesheets={DESIGNER_CSS}>
      <p class="d-crumbs">
        <a href="/admin/services">{tr(page, 'designer.my_services')}</a>
        {' › '}
        <a href={`/admin/services/${slug}`} safe>
          {name}
        </a>
      </p>
      <h1>
        <span>{tr(page, 'designer.preview')}</span>
        <span class="d-h1-sub" safe>
          {`${name} · ${tr(page, 'designer.version', { version: props.version })}`}
        </span>
      </h1>
      <p class="g-notice">{tr(page, 'designer.preview_lead')}</p>
      {sections.length > 1 ? (
        <nav class="d-steps" aria-label={tr(page, 'designer.preview_sections')}>
          <ol>
            {sections.map((s, i) => (
              <li>
                <a
                  href={`/admin/services/${slug}/preview?section=${i}`}
                  aria-current={i === index ? 'step' : undefined}
                  safe
                >
                  {textIn(page, s.title) || `${tr(page, 'designer.section')} ${i + 1}`}
                </a>
              </li>
            ))}
          </ol>
        </nav>
      ) : (
        ''
      )}
      {section ? (
        <section class="d-preview" aria-labelledby="preview-title">
          <h2 id="preview-title" safe>
            {textIn(page, section.title) || `${tr(page, 'designer.section')} ${index + 1}`}
          </h2>
          {body !== undefined ? (
            <form class="g-form" action="#" method="get" aria-label={tr(page, 'designer.preview')}>
              <fieldset disabled class="d-preview__fields">
                <legend class="d-vh">{tr(page, 'designer.preview')}</legend>
                {body as 'safe'}
              </fieldset>
            </form>
          ) : (
            <>
              <p>{tr(page, 'designer.preview_fallback')}</p>
              <PlainList page={page} fields={array(section.fields)} />
            </>
          )}
          <p class="d-actions">
            {index > 0 ? (
              <a
                class="g-button d-button--secondary"
                href={`/admin/services/${slug}/preview?section=${index - 1}`}
              >
                {tr(page, 'designer.previous_section')}
              </a>
            ) : (
              ''
            )}
            {index < sections.length - 1 ? (
              <a class="g-button" href={`/admin/services/${slug}/preview?section=${index + 1}`}>
                {tr(page, 'designer.next_section')}
              </a>
            ) : (
              ''
            )}
          </p>
        </section>
      ) : (
        <p>{tr(page, 'designer.preview_empty')}</p>
      )}
      <p>
        <a href={`/admin/services/${slug}/edit/form`}>{tr(page, 'designer.back_to_form')}</a>
      </p>
    </Layout>
  );
}
