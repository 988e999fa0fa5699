import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import {
  type Fee,
  type LocalText,
  type Regulation,
  type ServiceStandard,
  STANDARD_COMPONENTS,
  type StandardComponentKey,
} from '../schemas.ts';
import type { PublishedService } from '../service.ts';
import {
  categoryLabel,
  daysText,
  feeText,
  formatDate,
  local,
  numberedSteps,
  regulationCitation,
} from './catalogue-format.ts';

function Text(props: { page: PageContext; text: LocalText }) {
  return (
    <p class="g-service__text" safe>
      {local(props.page, props.text)}
    </p>
  );
}

function NotDeclared(props: { page: PageContext }) {
  return <p class="g-service__undeclared">{tr(props.page, 'catalogue.not_declared')}</p>;
}

/** A regulation as cited, with its title, and a link to its text when the definition gives one. */
function RegulationItem(props: { page: PageContext; regulation: Regulation }) {
  const { page, regulation } = props;
  const citation = regulationCitation(page, regulation);
  return (
    <li>
      {regulation.link ? (
        <a href={regulation.link} rel="noopener" target="_blank">
          <strong safe>{citation}</strong>{' '}
          <span class="g-service__new-tab">{tr(page, 'catalogue.new_tab')}</span>
        </a>
      ) : (
        <strong safe>{citation}</strong>
      )}{' '}
      {tr(page, 'catalogue.regulation_on')} <span safe>{local(page, regulation.title)}</span>
    </li>
  );
}

function RegulationList(props: { page: PageContext; regulations: readonly Regulation[] }) {
  return (
    <ul class="g-service__regulations">
      {props.regulations.map((regulation) => (
        <RegulationItem page={props.page} regulation={regulation} />
      ))}
    </ul>
  );
}

function FeeDetails(props: { page: PageContext; fee: Fee }) {
  const { page, fee } = props;
  return (
    <>
      <p class="g-service__fee">{feeText(page, fee.kind === 'paid' ? fee.amountRupiah : 0)}</p>
      {fee.note ? <Text page={page} text={fee.note} /> : ''}
      {fee.legalBasis ? (
        <p safe>
          {tr(page, 'catalogue.fee_legal_basis', {
            regulation: `${regulationCitation(page, fee.legalBasis)} ${tr(page, 'catalogue.regulation_on')} ${local(page, fee.legalBasis.title)}`,
          })}
        </p>
      ) : (
        ''
      )}
    </>
  );
}

/** The content of one of the 14 components; an optional one the agency left out says so. */
function ComponentContent(props: {
  page: PageContext;
  standard: ServiceStandard;
  component: StandardComponentKey;
}) {
  const { page, standard } = props;
  switch (props.component) {
    case 'legalBasis':
      return standard.legalBasis ? (
        <RegulationList page={page} regulations={standard.legalBasis} />
      ) : (
        <NotDeclared page={page} />
      );
    case 'requirements':
      return (
        <ol class="g-service__plain-list">
          {standard.requirements.map((r) => (
            <li safe>{local(page, r)}</li>
          ))}
        </ol>
      );
    case 'procedure': {
      const steps = numberedSteps(local(page, standard.procedure));
      return (
        <>
          {steps ? (
            <ol class="g-service__plain-list">
              {steps.map((step) => (
                <li safe>{step}</li>
              ))}
            </ol>
          ) : (
            <Text page={page} text={standard.procedure} />
          )}
          <p>
            <a href="#alur">{tr(page, 'catalogue.see_diagram')}</a>
          </p>
        </>
      );
    }
    case 'completionDays':
      return <p>{daysText(page, standard.completionDays)}</p>;
    case 'fee':
      return <FeeDetails page={page} fee={standard.fee} />;
    case 'product':
      return <Text page={page} text={standard.product} />;
    default: {
      const text = standard[props.component];
      return text ? <Text page={page} text={text} /> : <NotDeclared page={page} />;
    }
  }
}

function Breadcrumb(props: { page: PageContext; name: string }) {
  const { page } = props;
  return (
    <nav class="g-breadcrumb" aria-label={tr(page, 'catalogue.breadcrumb')}>
      <ol>
        <li>
          <a href="/">{tr(page, 'nav.home')}</a>
        </li>
        <li>
          <a href="/services">{tr(page, 'nav.services')}</a>
        </li>
        <li aria-current="page" safe>
          {props.name}
        </li>
      </ol>
    </nav>
  );
}

export interface ServicePageView {
  page: PageContext;
  service: PublishedService;
  /** The procedure diagram: SVG markup from `procedureDiagramSvg`, which escapes every text in it. */
  diagramSvg: string;
}

/** GET /services/:slug: what the service is, what to bring, how it goes, and its whole standard. */
export function ServicePage(props: ServicePageView) {
  const { page, service } = props;
  const { entry, definition } = service;
  const standard = definition.standard;
  const name = local(page, entry.name);
  const applyHref = `/services/${encodeURIComponent(entry.slug)}/apply`;
  const published = formatDate(page.lang, entry.publishedAt);
  return (
    <Layout page={page} title={name}>
      <Breadcrumb page={page} name={name} />
      <h1 safe>{name}</h1>
      <p class="g-service__agency">
        <span safe>{local(page, entry.agency.name)}</span> ·{' '}
        <span>{categoryLabel(page, entry.category)}</span>
      </p>
      <p class="g-lead g-service__description" safe>
        {local(page, entry.description)}
      </p>

      <section class="g-service__summary" aria-labelledby="ringkasan">
        <h2 id="ringkasan">{tr(page, 'catalogue.summary_heading')}</h2>
        <dl class="g-service__facts">
          <div>
            <dt>{tr(page, 'catalogue.fee')}</dt>
            <dd>{feeText(page, entry.feeRupiah)}</dd>
          </div>
          <div>
            <dt>{tr(page, 'catalogue.time')}</dt>
            <dd>{daysText(page, entry.completionDays)}</dd>
          </div>
          <div>
            <dt>{tr(page, 'catalogue.product')}</dt>
            <dd safe>{local(page, entry.product)}</dd>
          </div>
          <div>
            <dt>{tr(page, 'catalogue.agency')}</dt>
            <dd safe>{local(page, entry.agency.name)}</dd>
          </div>
        </dl>
        <p class="g-service__apply">
          <a class="g-button g-service__apply-button" href={applyHref}>
            {tr(page, 'catalogue.apply')}
          </a>
        </p>
      </section>

      <nav class="g-service__toc" aria-labelledby="di-halaman-ini">
        <h2 id="di-halaman-ini" class="g-service__toc-title">
          {tr(page, 'catalogue.on_this_page')}
        </h2>
        <ul>
          <li>
            <a href="#persyaratan">{tr(page, 'catalogue.requirements_heading')}</a>
          </li>
          <li>
            <a href="#alur">{tr(page, 'catalogue.procedure_heading')}</a>
          </li>
          <li>
            <a href="#standar">{tr(page, 'catalogue.standard_heading')}</a>
          </li>
        </ul>
      </nav>

      <h2 id="persyaratan">{tr(page, 'catalogue.requirements_heading')}</h2>
      <p>{tr(page, 'catalogue.requirements_lead')}</p>
      <ul class="g-checklist">
        {standard.requirements.map((r) => (
          <li safe>{local(page, r)}</li>
        ))}
      </ul>

      <h2 id="alur">{tr(page, 'catalogue.procedure_heading')}</h2>
      <figure class="g-service__diagram">
        {props.diagramSvg as 'safe'}
        <figcaption>{tr(page, 'catalogue.procedure_caption')}</figcaption>
      </figure>

      <h2 id="standar">{tr(page, 'catalogue.standard_heading')}</h2>
      <p>{tr(page, 'catalogue.standard_lead')}</p>
      <dl class="g-standard">
        {STANDARD_COMPONENTS.map((component, i) => (
          <div
            class={`g-standard__item g-standard__item--${component.group}`}
            id={`standar-${component.key}`}
          >
            <dt>
              <span class="g-standard__number">{String(i + 1)}.</span> {component.label[page.lang]}
            </dt>
            <dd>
              <ComponentContent page={page} standard={standard} component={component.key} />
            </dd>
          </div>
        ))}
      </dl>

      <p class="g-service__apply">
        <a class="g-button" href={applyHref}>
          {tr(page, 'catalogue.apply')}
        </a>
      </p>
      <p class="g-service__version">
        <small>{tr(page, 'catalogue.version', { version: entry.version, date: published })}</small>
      </p>
    </Layout>
  );
}

/** The 404 page of a service that does not exist or is not published (any more). */
export function ServiceNotFoundPage(props: { page: PageContext }) {
  const { page } = props;
  return (
    <Layout page={page} title={tr(page, 'catalogue.not_found_title')}>
      <h1>{tr(page, 'catalogue.not_found_title')}</h1>
      <p class="g-lead">{tr(page, 'catalogue.not_found_lead')}</p>
      <search>
        <form method="get" action="/services" class="g-catalogue__search g-catalogue__search--inline">
          <label class="g-field__label" for="q">
            {tr(page, 'catalogue.search_label')}
          </label>
          <div class="g-catalogue__row">
            <input class="g-input" id="q" name="q" type="search" maxlength="200" />
            <button class="g-button" type="submit">
              {tr(page, 'catalogue.search_submit')}
            </button>
          </div>
        </form>
      </search>
      <p>
        <a href="/services">{tr(page, 'catalogue.see_all')}</a>
      </p>
    </Layout>
  );
}
