/**
 * The steps of filling in an application that the citizen's pages and the counter's pages share:
 * saving a section, refusing a submission on the review page, the receipt's QR code and PDF, and
 * the tracking-number-and-secret forms (public tracking, linking a counter filing).
 */
import type { FastifyReply } from 'fastify';
import QRCode from 'qrcode';
import {
  answerErrorMessages,
  answersFromForm,
  applyFormCommands,
  errorSummaryEntries,
  fieldInputId,
} from '../catalog/pages/citizen-form.tsx';
import type { ServiceDefinition } from '../catalog/schemas.ts';
import type { AppContext } from '../context.ts';
import type { Principal } from '../identity/roles.ts';
import { DomainError } from '../web/domain-error.ts';
import { errorMessage, mapError } from '../web/errors.ts';
import { sendHtml } from '../web/http.ts';
import { type Lang, t } from '../web/i18n/index.ts';
import type { PageContext } from '../web/pages/layout.tsx';
import { storeFormUploads } from './form-uploads.ts';
import { dateText, dateTimeText } from './pages/answers.tsx';
import type { ReceiptFacts } from './pages/receipt-page.tsx';
import { ReviewPage, type ReviewPageView } from './pages/review-page.tsx';
import { SectionPage, type SectionPageView } from './pages/section-page.tsx';
import { receiptPdf } from './receipt-pdf.ts';
import {
  AnswerProblems,
  type ApplicationDetail,
  getApplication,
  getReceipt,
  saveAnswers,
} from './service.ts';

export function firstString(value: unknown): string | undefined {
  if (typeof value === 'string') return value;
  return Array.isArray(value) ? value.find((v): v is string => typeof v === 'string') : undefined;
}

/** The section index in the address, or not found: `0` … sections − 1. */
export function sectionIndexOf(definition: ServiceDefinition, text: string): number {
  const n = /^\d{1,2}$/.test(text) ? Number(text) : -1;
  if (n < 0 || n >= definition.form.sections.length) throw new DomainError('not_found');
  return n;
}

/** Error-summary entries for refused uploads, each linked to its file field. */
export function uploadSummary(errors: ReadonlyMap<string, string>): { field: string; message: string }[] {
  return [...errors].map(([path, message]) => ({ field: fieldInputId(path), message }));
}

export interface SectionPost {
  ctx: AppContext;
  page: PageContext;
  lang: Lang;
  editor: Principal;
  detail: ApplicationDetail;
  sectionIndex: number;
  body: Record<string, unknown>;
  /** Where the application's pages live. */
  base: string;
  /** Where "save and continue later" leads. */
  laterUrl: string;
  /** The section page's props for this side (where it lives, counter mode). */
  pageProps: Partial<SectionPageView>;
}

/**
 * A section form sent: every post saves what was typed (even when it does not validate yet), so a
 * dropped connection or another device loses nothing; only a plain "continue" moves on.
 */
export async function saveSection(reply: FastifyReply, post: SectionPost) {
  const { ctx, page, editor, detail, sectionIndex: n, base } = post;
  const definition = detail.definition;
  const uploads = await storeFormUploads({ ctx }, post.lang, editor, detail.id, post.body);
  const body = uploads.body;
  const sent = answersFromForm(definition, n, body);
  if (firstString(body._action) === 'later') {
    await saveAnswers(ctx, editor, detail.id, sent);
    return reply.redirect(post.laterUrl, 303);
  }
  // Rules of this section may look at earlier sections' answers: the commands see all of them.
  const command = applyFormCommands(definition, n, { ...detail.answers, ...sent }, body);
  const saved = await saveAnswers(ctx, editor, detail.id, sent);
  const render = (values: Record<string, unknown>, extra: Partial<SectionPageView>) => (
    <SectionPage
      page={page}
      applicationId={detail.id}
      definition={definition}
      sectionIndex={n}
      values={values}
      {...post.pageProps}
      versionNotice={detail.versionNotice}
      {...extra}
    />
  );
  // A command (add or remove an item, choose a region level, newly revealed questions) shows the
  // section again without errors: the applicant has not finished it yet.
  if (command)
    return sendHtml(reply, render({ ...detail.answers, ...command.answers }, { focus: command.focus }));
  const values = { ...detail.answers, ...sent };
  if (uploads.errors.size > 0)
    return sendHtml(
      reply,
      render(values, {
        errors: uploads.errors,
        summary: uploadSummary(uploads.errors),
      }),
      400,
    );
  if (saved.errors.length > 0)
    return sendHtml(
      reply,
      render(values, {
        errors: answerErrorMessages(page, saved.errors),
        summary: errorSummaryEntries(page, saved.errors),
      }),
      400,
    );
  const last = n + 1 >= definition.form.sections.length;
  return reply.redirect(last ? `${base}/review` : `${base}/sections/${n + 1}`, 303);
}

export type ReviewView = Omit<ReviewPageView, 'problems' | 'consentError' | 'formError'>;

/** The review page again after a refused submission, with the refusal where it belongs. */
export function sendReviewRefusal(reply: FastifyReply, lang: Lang, err: DomainError, view: ReviewView) {
  const mapped = mapError(err);
  if (err instanceof AnswerProblems)
    return sendHtml(reply, <ReviewPage {...view} problems={err.errors} />, mapped.status);
  if (err.code === 'application.consent_required')
    return sendHtml(reply, <ReviewPage {...view} consentError={errorMessage(lang, mapped)} />, mapped.status);
  return sendHtml(reply, <ReviewPage {...view} formError={errorMessage(lang, mapped)} />, mapped.status);
}

/**
 * The receipt and the application behind it, or undefined for a draft (not filed yet). `trackUrl`
 * makes the public tracking address from the tracking number.
 */
export async function filedReceipt(
  ctx: AppContext,
  editor: Principal,
  id: string,
  lang: Lang,
  trackUrl: (trackingNumber: string) => string,
): Promise<{ facts: ReceiptFacts; detail: ApplicationDetail } | undefined> {
  let receipt: Awaited<ReturnType<typeof getReceipt>>;
  try {
    receipt = await getReceipt(ctx, editor, id);
  } catch (err) {
    if (err instanceof DomainError && err.code === 'application.not_submitted') return undefined;
    throw err;
  }
  const detail = await getApplication(ctx, editor, id);
  return {
    detail,
    facts: {
      applicationId: receipt.id,
      trackingNumber: receipt.trackingNumber,
      trackingSecret: receipt.trackingSecret,
      service: detail.service.name[lang],
      agency: detail.agency.name[lang],
      submittedAt: receipt.submittedAt,
      dueAt: receipt.dueAt,
      trackUrl: trackUrl(receipt.trackingNumber),
    },
  };
}

/** The QR code of the tracking address printed on a receipt. */
export function receiptQrSvg(url: string): Promise<string> {
  return QRCode.toString(url, { type: 'svg', margin: 1, errorCorrectionLevel: 'M' });
}

/** Sends the receipt as a PDF download; `notes` are the side's own lines under the facts. */
export async function sendReceiptPdf(reply: FastifyReply, lang: Lang, facts: ReceiptFacts, notes: string[]) {
  const pdf = await receiptPdf({
    title: t(lang, 'applications.receipt_pdf_title'),
    lines: [
      { label: t(lang, 'applications.tracking_number'), value: facts.trackingNumber, big: true },
      { label: t(lang, 'applications.tracking_secret'), value: facts.trackingSecret, big: true },
      { label: t(lang, 'applications.service'), value: facts.service },
      { label: t(lang, 'applications.agency'), value: facts.agency },
      { label: t(lang, 'applications.submitted'), value: dateTimeText(lang, facts.submittedAt) },
      {
        label: t(lang, 'applications.due'),
        value: t(lang, 'applications.due_at_latest', { date: dateText(lang, facts.dueAt, 'full') }),
      },
    ],
    notes,
    qrUrl: facts.trackUrl,
    qrCaption: facts.trackUrl,
    footer: t(lang, 'applications.receipt_pdf_footer'),
  });
  return reply
    .header('content-type', 'application/pdf')
    .header('content-disposition', `attachment; filename="tanda-terima-${facts.trackingNumber}.pdf"`)
    .header('cache-control', 'private, no-store')
    .send(Buffer.from(pdf));
}

/** The tracking number and secret typed into a form, trimmed to what a real one can be. */
export function trackingCredentials(body: { number?: string | undefined; secret?: string | undefined }) {
  return {
    number: (body.number ?? '').trim().slice(0, 40),
    secret: (body.secret ?? '').trim().slice(0, 40),
  };
}

/**
 * A refused tracking or linking attempt: its status and message, with `retry-after` set when
 * too many attempts locked the number for a while.
 */
export function trackingRefusal(reply: FastifyReply, lang: Lang, err: DomainError) {
  const mapped = mapError(err);
  if (mapped.retryAfterSeconds !== undefined) reply.header('retry-after', String(mapped.retryAfterSeconds));
  return { status: mapped.status, message: errorMessage(lang, mapped) };
}
