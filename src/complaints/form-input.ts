/** Reading the filing form as a browser sends it (urlencoded or multipart), and what it offers. */
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { districts, provinces, regencies } from '../regions/store.ts';
import type { Lang } from '../web/i18n/index.ts';
import { isUploadedFile } from '../web/multipart.ts';
import type { FilingInput } from './filing.ts';
import { EMPTY_FORM, type FileFormOptions, type FileFormValues } from './pages/file-page.tsx';
import * as store from './store.ts';

type Body = Record<string, unknown>;

/** A text field of a parsed form ('' when absent, the first when repeated). */
export function textOf(body: Body, name: string): string {
  const value = body[name];
  const first = Array.isArray(value) ? value[0] : value;
  return typeof first === 'string' ? first : '';
}

/** The files chosen in a file input (a browser sends one empty part when none was chosen). */
export function filesOf(body: Body, name: string): Buffer[] {
  const value = body[name];
  const list = Array.isArray(value) ? value : value === undefined ? [] : [value];
  return list
    .filter(isUploadedFile)
    .flatMap((f) => (f.bytes.length === 0 && f.filename === '' ? [] : [f.bytes]));
}

export function valuesOf(body: Body): FileFormValues {
  return {
    mode: textOf(body, 'mode'),
    subject: textOf(body, 'subject'),
    reportType: textOf(body, 'reportType'),
    category: textOf(body, 'category'),
    text: textOf(body, 'text'),
    province: textOf(body, 'location.province'),
    regency: textOf(body, 'location.regency'),
    district: textOf(body, 'location.district'),
    mayPublish: textOf(body, 'mayPublish') === 'yes',
    reporterName: textOf(body, 'reporterName'),
    reporterContact: textOf(body, 'reporterContact'),
  };
}

/** Keeps only the levels that belong together (a province changed without its regency, say). */
export function consistentLocation(values: FileFormValues): FileFormValues {
  const regency =
    values.regency.startsWith(`${values.province}.`) && values.province !== '' ? values.regency : '';
  const district = regency !== '' && values.district.startsWith(`${regency}.`) ? values.district : '';
  return { ...values, regency, district };
}

/** The deepest level chosen, or '' for none. */
export function regionCodeOf(values: FileFormValues): string {
  const v = consistentLocation(values);
  return v.district || v.regency || v.province;
}

export function filingOf(values: FileFormValues, files: Buffer[], lang: Lang, client: string): FilingInput {
  const [kind = '', ...rest] = values.subject.split(':');
  return {
    mode: values.mode,
    reportType: values.reportType,
    category: values.category,
    subject: { kind, ref: rest.join(':') },
    text: values.text,
    regionCode: regionCodeOf(values),
    mayPublish: values.mayPublish,
    reporterName: values.reporterName,
    reporterContact: values.reporterContact,
    files,
    lang,
    client,
  };
}

/** What the form offers: services and agencies, the citizen's application it came from, places. */
export async function formOptions(
  ctx: AppContext,
  lang: Lang,
  principal: Principal | null,
  values: FileFormValues,
): Promise<FileFormOptions> {
  const [agencies, services] = await Promise.all([
    store.listAgencies(ctx.db),
    store.listPublishedServices(ctx.db),
  ]);
  const location = consistentLocation(values);
  const name = (row: { name_id: string; name_en: string }) => (lang === 'id' ? row.name_id : row.name_en);
  const region = (r: { code: string; name: string }) => ({ value: r.code, label: r.name });
  return {
    agencies: agencies.map((a) => ({ value: `agency:${a.slug}`, label: name(a) })),
    services: services.map((s) => ({ value: `service:${s.slug}`, label: name(s) })),
    application: await applicationOption(ctx, lang, principal, values.subject),
    provinces: provinces().map(region),
    regencies: location.province ? regencies(location.province).map(region) : [],
    districts: location.regency ? districts(location.regency).map(region) : [],
  };
}

async function applicationOption(ctx: AppContext, lang: Lang, principal: Principal | null, subject: string) {
  const id = subject.startsWith('application:') ? subject.slice('application:'.length) : '';
  if (principal?.kind !== 'citizen' || !/^[0-9a-f-]{36}$/.test(id)) return undefined;
  const row = await store.findOwnApplicationLabel(ctx.db, id, principal.userId);
  if (!row) return undefined;
  const [service] = await store.serviceNames(ctx.db, [row.service_id]);
  const serviceName = service ? (lang === 'id' ? service.name_id : service.name_en) : '';
  return { value: subject, label: `${serviceName} (${row.tracking_number ?? ''})` };
}

/** The form as first shown: what the link it came from names (`?service=`, `?agency=`, `?application=`). */
export function initialValues(query: {
  service?: string;
  agency?: string;
  application?: string;
}): FileFormValues {
  const subject = query.application
    ? `application:${query.application}`
    : query.service
      ? `service:${query.service}`
      : query.agency
        ? `agency:${query.agency}`
        : '';
  return { ...EMPTY_FORM, subject };
}
