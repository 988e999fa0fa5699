/** The editor page of one part: tabs with problem counts, the problem summary and the part's form. */
import type { MessageKey } from '../../web/i18n/index.ts';
import { CsrfField, Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { Problem } from '../problems.ts';
import { FormPart } from './form-editor.tsx';
import { type Editor, ProblemIndex } from './kit.tsx';
import { type Doc, PARTS, type Part, partOfPath } from './mapping.ts';
import { idOf } from './names.ts';
import { IdentityPart, OutputPart, StandardPart, WorkflowPart } from './parts.tsx';

export const DESIGNER_CSS = ['/static/designer.css'];

export function serviceName(page: PageContext, doc: unknown, fallback: string): string {
  const name = typeof doc === 'object' && doc !== null ? (doc as Doc).name : undefined;
  const text =
    typeof name === 'object' && name !== null ? (name as Record<string, unknown>)[page.lang] : undefined;
  return typeof text === 'string' && text !== '' ? text : fallback;
}

export function partTitle(page: PageContext, part: Part): string {
  return tr(page, `designer.part.${part}` as MessageKey);
}

/** Links to the parts, each with how many problems it has. */
export function PartTabs(props: {
  page: PageContext;
  slug: string;
  current?: Part;
  problems: readonly Problem[];
}) {
  const { page } = props;
  return (
    <nav class="d-tabs" aria-label={tr(page, 'designer.parts')}>
      <ul>
        {PARTS.map((part) => {
          const count = props.problems.filter((p) => partOfPath(p.path) === part).length;
          return (
            <li>
              <a
                href={`/admin/services/${props.slug}/edit/${part}`}
                aria-current={part === props.current ? 'page' : undefined}
              >
                <span safe>{partTitle(page, part)}</span>
                {count > 0 ? (
                  <span class="d-count">
                    <span aria-hidden="true">{String(count)}</span>
                    <span class="d-vh">{tr(page, 'designer.problem_count', { count })}</span>
                  </span>
                ) : (
                  ''
                )}
              </a>
            </li>
          );
        })}
        <li>
          <a href={`/admin/services/${props.slug}/preview`}>{tr(page, 'designer.preview')}</a>
        </li>
      </ul>
    </nav>
  );
}

function renderPart(e: Editor, part: Part): string {
  switch (part) {
    case 'identity':
      return IdentityPart({ e }) as string;
    case 'standard':
      return StandardPart({ e }) as string;
    case 'form':
      return FormPart({ e }) as string;
    case 'workflow':
      return WorkflowPart({ e }) as string;
    case 'output':
      return OutputPart({ e }) as string;
  }
}

const ROOT_PATH: Record<Part, string> = {
  identity: 'identity',
  standard: 'standard',
  form: 'form',
  workflow: 'workflow',
  output: 'output',
};

export function EditorPage(props: {
  page: PageContext;
  slug: string;
  version: number;
  part: Part;
  doc: Doc;
  problems: readonly Problem[];
  saved: boolean;
}) {
  const { page, part, slug } = props;
  const own = props.problems.filter((p) => partOfPath(p.path) === part);
  const index = new ProblemIndex(own, ROOT_PATH[part]);
  const e: Editor = { page, doc: props.doc, problems: index };
  renderPart(e, part);
  index.place();
  const body = renderPart(e, part);
  const name = serviceName(page, props.doc, slug);
  const title = `${partTitle(page, part)} — ${name}`;
  return (
    <Layout page={page} title={title} stylesheets={DESIGNER_CSS}>
      <p class="d-crumbs">
        <a href="/admin/services">{tr(page, 'designer.my_services')}</a>
        {' › '}
        <a href={`/admin/services/${slug}`} safe>
          {name}
        </a>
      </p>
      <h1>
        <span safe>{partTitle(page, part)}</span>
        <span class="d-h1-sub" safe>
          {`${name} · ${tr(page, 'designer.draft_version', { version: props.version })}`}
        </span>
      </h1>
      <PartTabs page={page} slug={slug} current={part} problems={props.problems} />
      {props.saved ? (
        <p class="g-notice" role="status">
          {tr(page, 'designer.saved')}
        </p>
      ) : (
        ''
      )}
      {index.placed.length > 0 ? (
        <section class="d-summary" id="problems" tabindex="-1" aria-labelledby="problems-title">
          <h2 id="problems-title">{tr(page, 'designer.problems_title', { count: index.placed.length })}</h2>
          <p>{tr(page, 'designer.problems_lead')}</p>
          <ul>
            {index.placed.map((p) => (
              <li>
                <a href={`#${idOf(p.anchor)}`} safe>
                  {p.problem.message[page.lang]}
                </a>
              </li>
            ))}
          </ul>
        </section>
      ) : props.problems.length === 0 ? (
        <p class="d-ok">{tr(page, 'designer.no_problems_at_all')}</p>
      ) : (
        <p class="d-ok">{tr(page, 'designer.no_problems_here')}</p>
      )}
      <form method="post" action={`/admin/services/${slug}/edit/${part}`} class="d-form" novalidate>
        <CsrfField page={page} />
        <div class="d-savebar">
          <button type="submit" class="g-button">
            {tr(page, 'designer.save')}
          </button>
        </div>
        {body as 'safe'}
        <div class="d-savebar d-savebar--end">
          <button type="submit" class="g-button">
            {tr(page, 'designer.save')}
          </button>
          <a href={`/admin/services/${slug}`}>{tr(page, 'designer.back_to_overview')}</a>
        </div>
      </form>
    </Layout>
  );
}
