import { Layout, type PageContext, tr } from '../../web/pages/layout.tsx';
import type { InboxItem, InboxPage } from '../inbox.ts';
import { dayText, local, slaText } from './inbox-format.tsx';

/** The filters as chosen (text, so the form shows back exactly what was in the address). */
export interface InboxFilterValues {
  service: string;
  state: string;
  due: string;
  assigned: string;
  sort: string;
}

function Select(props: {
  page: PageContext;
  name: string;
  label: string;
  value: string;
  options: { value: string; label: string }[];
}) {
  const id = `filter-${props.name}`;
  return (
    <div class="g-field">
      <label class="g-field__label" for={id} safe>
        {props.label}
      </label>
      <select class="g-select" id={id} name={props.name}>
        {props.options.map((o) => (
          <option value={o.value} selected={o.value === props.value} safe>
            {o.label}
          </option>
        ))}
      </select>
    </div>
  );
}

function queryString(values: InboxFilterValues, page?: number): string {
  const params = new URLSearchParams();
  for (const [key, value] of Object.entries(values)) if (value) params.set(key, value);
  if (page && page > 1) params.set('page', String(page));
  const text = params.toString();
  return text ? `?${text}` : '';
}

function Item(props: { page: PageContext; item: InboxItem }) {
  const { page, item } = props;
  // The nearer of the two deadlines (ISO texts sort by time).
  const deadline =
    [item.sla.state?.dueAt, item.sla.overall?.dueAt].filter((d) => d !== undefined).sort()[0] ?? null;
  const sla = slaText(page, item.sla.worst, item.sla.paused);
  return (
    <li class="g-card">
      <h3>
        <a href={`/inbox/${item.id}`} safe>
          {item.trackingNumber ?? item.id}
        </a>
      </h3>
      <dl class="g-app-card__facts">
        <div>
          <dt>{tr(page, 'inbox.service')}</dt>
          <dd safe>{local(page, item.service.name)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'inbox.state')}</dt>
          <dd safe>{local(page, item.state.label)}</dd>
        </div>
        <div>
          <dt>{tr(page, 'inbox.deadline')}</dt>
          <dd>
            <span safe>{dayText(page, deadline)}</span>
            {sla && item.sla.worst !== 'on_track' ? (
              <>
                {' '}
                <strong class="g-status" safe>
                  {sla}
                </strong>
              </>
            ) : (
              ''
            )}
          </dd>
        </div>
        <div>
          <dt>{tr(page, 'inbox.assigned')}</dt>
          <dd>
            {item.assignedToMe
              ? tr(page, 'inbox.assigned_to_you')
              : item.assignedTo
                ? tr(page, 'inbox.assigned_other')
                : tr(page, 'inbox.nobody')}
          </dd>
        </div>
      </dl>
    </li>
  );
}

export function InboxListPage(props: {
  page: PageContext;
  result: InboxPage;
  values: InboxFilterValues;
  notices: string[];
}) {
  const { page, result, values } = props;
  const pages = Math.max(1, Math.ceil(result.total / result.perPage));
  const any = { value: '', label: tr(page, 'inbox.any') };
  const quick = [
    {
      label: tr(page, 'inbox.count_all', { count: result.counts.all }),
      values: { ...values, due: '', assigned: '' },
    },
    {
      label: tr(page, 'inbox.count_due_soon', { count: result.counts.dueSoon }),
      values: { ...values, due: 'due_soon', assigned: '' },
    },
    {
      label: tr(page, 'inbox.count_overdue', { count: result.counts.overdue }),
      values: { ...values, due: 'overdue', assigned: '' },
    },
    {
      label: tr(page, 'inbox.count_mine', { count: result.counts.mine }),
      values: { ...values, due: '', assigned: 'me' },
    },
    {
      label: tr(page, 'inbox.count_unassigned', { count: result.counts.unassigned }),
      values: { ...values, due: '', assigned: 'unassigned' },
    },
  ];
  return (
    <Layout page={page} title={tr(page, 'inbox.title')}>
      <div class="g-inbox">
        <h1>{tr(page, 'inbox.title')}</h1>
        <p class="g-lead">{tr(page, 'inbox.lead')}</p>
        {props.notices.map((n) => (
          <p class="g-notice" role="status" safe>
            {n}
          </p>
        ))}
        <nav aria-label={tr(page, 'inbox.counts')}>
          <ul class="g-links">
            {quick.map((q) => (
              <li>
                <a href={`/inbox${queryString(q.values)}`} safe>
                  {q.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <form
          method="get"
          action="/inbox"
          class="g-catalogue__filters"
          aria-label={tr(page, 'inbox.filters')}
        >
          <Select
            page={page}
            name="service"
            label={tr(page, 'inbox.filter_service')}
            value={values.service}
            options={[
              any,
              ...result.counts.byService.map((s) => ({
                value: s.slug,
                label: `${local(page, s.name)} (${s.count})`,
              })),
            ]}
          />
          <Select
            page={page}
            name="state"
            label={tr(page, 'inbox.filter_state')}
            value={values.state}
            options={[
              any,
              ...result.counts.byState.map((s) => ({
                value: s.key,
                label: `${local(page, s.label)} (${s.count})`,
              })),
            ]}
          />
          <Select
            page={page}
            name="due"
            label={tr(page, 'inbox.filter_due')}
            value={values.due}
            options={[
              any,
              { value: 'due_soon', label: tr(page, 'inbox.due_soon') },
              { value: 'overdue', label: tr(page, 'inbox.overdue') },
            ]}
          />
          <Select
            page={page}
            name="assigned"
            label={tr(page, 'inbox.filter_assigned')}
            value={values.assigned}
            options={[
              any,
              { value: 'me', label: tr(page, 'inbox.assigned_me') },
              { value: 'unassigned', label: tr(page, 'inbox.unassigned') },
            ]}
          />
          <Select
            page={page}
            name="sort"
            label={tr(page, 'inbox.filter_sort')}
            value={values.sort}
            options={[
              { value: 'deadline', label: tr(page, 'inbox.sort_deadline') },
              { value: 'submitted', label: tr(page, 'inbox.sort_submitted') },
            ]}
          />
          <div>
            <button type="submit" class="g-button">
              {tr(page, 'inbox.apply')}
            </button>
          </div>
        </form>
        <h2 role="status">{tr(page, 'inbox.results', { total: result.total })}</h2>
        {result.items.length === 0 ? (
          <p>{tr(page, 'inbox.empty')}</p>
        ) : (
          <ul class="g-cards">
            {result.items.map((item) => (
              <Item page={page} item={item} />
            ))}
          </ul>
        )}
        {pages > 1 ? (
          <nav class="g-pagination" aria-label={tr(page, 'inbox.page_of', { page: result.page, pages })}>
            {result.page > 1 ? (
              <a href={`/inbox${queryString(values, result.page - 1)}`}>{tr(page, 'inbox.previous')}</a>
            ) : (
              ''
            )}
            <span>{tr(page, 'inbox.page_of', { page: result.page, pages })}</span>
            {result.page < pages ? (
              <a href={`/inbox${queryString(values, result.page + 1)}`}>{tr(page, 'inbox.next')}</a>
            ) : (
              ''
            )}
          </nav>
        ) : (
          ''
        )}
      </div>
    </Layout>
  );
}
