import { CsrfField, ErrorSummary, Layout, type PageContext, tr } from '../web/pages/layout.tsx';
import type { Verification, VerifiedDocument } from './schemas.ts';

function longDate(page: PageContext, iso: string, timeZone: string): string {
  return new Intl.DateTimeFormat(page.lang === 'id' ? 'id-ID' : 'en-GB', {
    timeZone,
    day: 'numeric',
    month: 'long',
    year: 'numeric',
  }).format(new Date(iso));
}

/** The upload form: the only input, so a refused upload shows its message next to it. */
function UploadForm(props: { page: PageContext; error?: string }) {
  const { page, error } = props;
  return (
    <form method="post" action="/verify" enctype="multipart/form-data" class="g-form" novalidate>
      <CsrfField page={page} />
      <div class={error ? 'g-field g-field--error' : 'g-field'}>
        <label class="g-field__label" for="document">
          {tr(page, 'documents.upload_label')}
        </label>
        <p class="g-field__hint" id="document-hint">
          {tr(page, 'documents.upload_hint')}
        </p>
        {error ? (
          <p class="g-field__error" id="document-error" safe>
            {error}
          </p>
        ) : (
          ''
        )}
        <input
          class="g-input g-input--file"
          id="document"
          name="document"
          type="file"
          accept="application/pdf,.pdf"
          aria-describedby={error ? 'document-hint document-error' : 'document-hint'}
        />
      </div>
      <button type="submit" class="g-button">
        {tr(page, 'documents.upload_submit')}
      </button>
    </form>
  );
}

function Details(props: { page: PageContext; document: VerifiedDocument }) {
  const { page, document: doc } = props;
  const lang = page.lang;
  return (
    <>
      <h2>{tr(page, 'documents.details')}</h2>
      <dl class="g-doc__facts">
        <dt>{tr(page, 'documents.document_name')}</dt>
        <dd safe>{doc.documentName[lang]}</dd>
        <dt>{tr(page, 'documents.number')}</dt>
        <dd class="g-doc__number" safe>
          {doc.number}
        </dd>
        <dt>{tr(page, 'documents.agency')}</dt>
        <dd safe>{doc.agency.name[lang]}</dd>
        <dt>{tr(page, 'documents.service')}</dt>
        <dd safe>{doc.service.name[lang]}</dd>
        <dt>{tr(page, 'documents.issued_at')}</dt>
        <dd safe>{longDate(page, doc.issuedAt, doc.timeZone)}</dd>
      </dl>
      <h2>{tr(page, 'documents.printed_fields')}</h2>
      <p class="g-muted">{tr(page, 'documents.printed_fields_lead')}</p>
      <dl class="g-doc__fields">
        {doc.fields.map((field) => (
          <>
            <dt safe>{field.label[lang]}</dt>
            {field.value.trim() === '' ? (
              <dd class="g-muted">{tr(page, 'documents.empty_value')}</dd>
            ) : (
              <dd safe>{field.value}</dd>
            )}
          </>
        ))}
      </dl>
      <p class="g-muted g-doc__key">
        {tr(page, 'documents.key')}: <code safe>{doc.keyId}</code>
      </p>
    </>
  );
}

/** The outcome of a verification, as a banner whose heading says it all. */
function Outcome(props: { page: PageContext; verification: Verification; uploaded: boolean }) {
  const { page, verification, uploaded } = props;
  const doc = verification.document;
  if (verification.status === 'invalid' || !doc) {
    return (
      <div class="g-doc-result g-doc-result--invalid">
        <h1>{tr(page, 'documents.invalid_title')}</h1>
        <p>{tr(page, uploaded ? 'documents.invalid_upload_text' : 'documents.invalid_text')}</p>
        <p>{tr(page, 'documents.invalid_help')}</p>
      </div>
    );
  }
  const agency = doc.agency.name[page.lang];
  if (verification.status === 'revoked') {
    return (
      <div class="g-doc-result g-doc-result--revoked">
        <h1>{tr(page, 'documents.revoked_title')}</h1>
        <p safe>
          {tr(page, 'documents.revoked_text', {
            agency,
            date: doc.revokedAt ? longDate(page, doc.revokedAt, doc.timeZone) : '',
          })}
        </p>
        <h2 class="g-doc-result__reason-title">{tr(page, 'documents.revoked_reason')}</h2>
        <p class="g-doc-result__reason" safe>
          {doc.revokedReason ?? ''}
        </p>
      </div>
    );
  }
  return (
    <div class="g-doc-result g-doc-result--valid">
      <h1>{tr(page, 'documents.valid_title')}</h1>
      <p safe>{tr(page, 'documents.valid_text', { agency })}</p>
    </div>
  );
}

/** `/verify`, `/verify/<id>` and the answer to an upload: the outcome (if any), then the upload form. */
export function VerifyPage(props: {
  page: PageContext;
  verification?: Verification;
  uploaded?: boolean;
  uploadError?: string;
}) {
  const { page, verification, uploadError } = props;
  const uploaded = props.uploaded ?? false;
  const title = verification
    ? tr(
        page,
        verification.status === 'valid'
          ? 'documents.valid_title'
          : verification.status === 'revoked'
            ? 'documents.revoked_title'
            : 'documents.invalid_title',
      )
    : tr(page, 'documents.verify_title');
  return (
    <Layout page={page} title={title}>
      {uploadError ? <ErrorSummary page={page} errors={[{ field: 'document', message: uploadError }]} /> : ''}
      {verification ? (
        <>
          {uploaded ? <p class="g-muted">{tr(page, 'documents.upload_result')}</p> : ''}
          <Outcome page={page} verification={verification} uploaded={uploaded} />
          {verification.document && verification.status !== 'invalid' ? (
            <Details page={page} document={verification.document} />
          ) : (
            ''
          )}
          <h2>{tr(page, 'documents.upload_heading')}</h2>
        </>
      ) : (
        <>
          <h1>{tr(page, 'documents.verify_title')}</h1>
          <p class="g-lead">{tr(page, 'documents.verify_lead')}</p>
        </>
      )}
      <UploadForm page={page} error={uploadError} />
    </Layout>
  );
}
