import { generateKeyPairSync, type KeyObject, sign } from 'node:crypto';
import { inflateSync } from 'node:zlib';
import { PDFDocument } from 'pdf-lib';
import { beforeAll, describe, expect, it } from 'vitest';
import { canonicalContent, contentMessage, formatDocumentNumber, fromBase64Url, yearIn } from './content.ts';
import {
  pdfSigningMessage,
  printable,
  type RenderInput,
  readPdfSignature,
  renderDocumentPdf,
  signPdf,
  verifyPdf,
} from './pdf.ts';
import type { DocumentContent } from './schemas.ts';
import type { PublicKeyInfo } from './signer.ts';

const KEY_ID = '01900000-0000-7000-8000-0000000000aa';
const OTHER_KEY_ID = '01900000-0000-7000-8000-0000000000bb';

function content(overrides: Partial<DocumentContent> = {}): DocumentContent {
  return {
    v: 1,
    id: '01900000-0000-7000-8000-000000000001',
    number: 'DKP/2026/000001',
    agency: {
      slug: 'disdukcapil',
      name: { id: 'Dinas Kependudukan dan Pencatatan Sipil', en: 'Population and Civil Registration Office' },
    },
    service: { slug: 'akta-kelahiran', name: { id: 'Akta Kelahiran', en: 'Birth Certificate' } },
    documentName: { id: 'Kutipan Akta Kelahiran', en: 'Birth Certificate (extract)' },
    fields: [
      { label: { id: 'Nama anak', en: "Child's name" }, value: 'Putri Ayu Lestari' },
      { label: { id: 'Tempat lahir', en: 'Place of birth' }, value: 'Sukamaju' },
    ],
    issuedAt: '2026-03-02T03:04:05.000Z',
    ...overrides,
  };
}

function renderInput(c: DocumentContent, keyId = KEY_ID): RenderInput {
  const printedUrl = `https://gapura.example/verify/${c.id}`;
  return {
    content: c,
    keyId,
    qrUrl: `${printedUrl}?s=${'A'.repeat(86)}`,
    printedUrl,
    timeZone: 'Asia/Jakarta',
  };
}

interface TestKey {
  info: PublicKeyInfo;
  privateKey: KeyObject;
}

function testKey(keyId: string): TestKey {
  const { publicKey, privateKey } = generateKeyPairSync('ed25519');
  return {
    privateKey,
    info: {
      keyId,
      purpose: 'document:test',
      publicKey: publicKey.export({ format: 'der', type: 'spki' }),
      createdAt: '2026-01-01T00:00:00.000Z',
      notAfter: '2027-01-01T00:00:00.000Z',
      retiredAt: null,
    },
  };
}

async function signedPdf(c: DocumentContent, key: TestKey): Promise<Buffer> {
  const unsigned = await renderDocumentPdf(renderInput(c, key.info.keyId));
  return signPdf(unsigned, sign(null, pdfSigningMessage(unsigned), key.privateKey));
}

/** The decompressed content streams: the drawing operators of every page. */
function contentStreams(pdf: Buffer): string {
  const text = pdf.toString('latin1');
  const out: string[] = [];
  for (const match of text.matchAll(/\/FlateDecode[\s\S]*?stream\r?\n([\s\S]*?)\r?\nendstream/g)) {
    try {
      out.push(inflateSync(Buffer.from(match[1] ?? '', 'latin1')).toString('latin1'));
    } catch {
      // not deflated drawing operators
    }
  }
  return out.join('\n');
}

/** The text the pages draw (pdf-lib writes each line as a hex string shown with Tj), one line each. */
function drawnText(pdf: Buffer): string {
  return [...contentStreams(pdf).matchAll(/<([0-9A-F]*)> Tj/g)]
    .map((m) => Buffer.from(m[1] ?? '', 'hex').toString('latin1'))
    .join('\n');
}

describe('document content', () => {
  it('numbers documents per agency and year, zero-padded so they sort', () => {
    expect(formatDocumentNumber('DKP', 2026, 7)).toBe('DKP/2026/000007');
    expect(formatDocumentNumber('PTS', 2027, 123456)).toBe('PTS/2027/123456');
  });

  it('takes the year in the agency time zone: 31 December 17:30 UTC is already next year in WIT', () => {
    const at = Date.parse('2026-12-31T17:30:00.000Z');
    expect(yearIn('Asia/Jakarta', at)).toBe(2027);
    expect(yearIn('UTC', at)).toBe(2026);
  });

  it('serialises content canonically: key order does not change the signed bytes', () => {
    const a = content();
    const reversed = Object.fromEntries(Object.entries(a).reverse()) as unknown as DocumentContent;
    expect(JSON.stringify(reversed)).not.toBe(JSON.stringify(a));
    const b = reversed;
    expect(canonicalContent(b)).toBe(canonicalContent(a));
    expect(contentMessage(canonicalContent(a)).toString('utf8')).toMatch(/^gapura-document-v1\n\{"agency":/);
  });

  it('reads only a 64-byte base64url signature from a QR code', () => {
    const sig = Buffer.alloc(64, 7);
    expect(fromBase64Url(sig.toString('base64url'))).toEqual(sig);
    expect(fromBase64Url(Buffer.alloc(63).toString('base64url'))).toBeUndefined();
    expect(fromBase64Url(`${sig.toString('base64url').slice(0, 85)}!`)).toBeUndefined();
  });
});

describe('printable text for the standard fonts', () => {
  let charset: Set<number>;
  beforeAll(async () => {
    const doc = await PDFDocument.create();
    charset = new Set((await doc.embedFont('Helvetica')).getCharacterSet());
  });

  it('keeps Indonesian and Latin-1 text as it is', () => {
    expect(printable('Jl. Merdeka No. 5, RT 01/RW 02 — Café “Ibu”', charset)).toBe(
      'Jl. Merdeka No. 5, RT 01/RW 02 — Café “Ibu”',
    );
  });

  it('drops accents WinAnsi lacks and replaces what it cannot show', () => {
    expect(printable('Łukasz Nguyễn Ōsaka', charset)).toBe('?ukasz Nguyen Osaka');
    expect(printable('王小明 ꦗꦮ', charset)).toBe('??? ??');
    expect(printable('a\u202fb\u2011c\tz', charset)).toBe('a b-c z');
  });
});

describe('the signed PDF', () => {
  const key = testKey(KEY_ID);
  const other = testKey(OTHER_KEY_ID);
  let pdf: Buffer;

  beforeAll(async () => {
    pdf = await signedPdf(content(), key);
  });

  it('is a PDF with the QR code embedded as an image', () => {
    expect(pdf.subarray(0, 5).toString('latin1')).toBe('%PDF-');
    const text = pdf.toString('latin1');
    expect(text).toMatch(/\/Subtype \/Image/);
    expect(contentStreams(pdf)).toMatch(/\/Image-\d+ Do/);
  });

  it('prints the number, the printed fields and the verification address', () => {
    const drawn = drawnText(pdf);
    for (const text of ['DKP/2026/000001', 'Putri Ayu Lestari', 'Kutipan Akta Kelahiran', '2 Maret 2026']) {
      expect(drawn).toContain(text);
    }
    expect(drawn).toContain('https://gapura.example/verify/01900000-0000-7000-8000-000000000001');
  });

  it('comes out byte for byte the same for the same document', async () => {
    const again = await signedPdf(content(), key);
    expect(again.equals(pdf)).toBe(true);
  });

  it('verifies under the key it names and says which document it is', () => {
    const result = verifyPdf(pdf, [key.info]);
    expect(result?.documentId).toBe('01900000-0000-7000-8000-000000000001');
    expect(result?.number).toBe('DKP/2026/000001');
    expect(result?.keyId).toBe(KEY_ID);
  });

  it('is invalid under another key, or when the key was not valid at the issue time', () => {
    expect(verifyPdf(pdf, [{ ...other.info, keyId: KEY_ID }])).toBeUndefined();
    expect(verifyPdf(pdf, [other.info])).toBeUndefined();
    expect(verifyPdf(pdf, [{ ...key.info, createdAt: '2026-06-01T00:00:00.000Z' }])).toBeUndefined();
    expect(verifyPdf(pdf, [{ ...key.info, retiredAt: '2026-02-01T00:00:00.000Z' }])).toBeUndefined();
  });

  it('is invalid when any single byte outside the signature changes', () => {
    const start = readPdfSignature(pdf)?.start ?? -1;
    expect(start).toBeGreaterThan(0);
    // Every 97th byte and both ends: a flipped bit anywhere but the signature digits breaks it.
    const positions = new Set([0, 1, pdf.length - 1, pdf.length - 2, start - 1, start + 128]);
    for (let i = 0; i < pdf.length; i += 97) positions.add(i);
    for (const at of positions) {
      if (at >= start && at < start + 128) continue;
      const tampered = Buffer.from(pdf);
      tampered[at] = (tampered[at] ?? 0) ^ 0x01;
      expect(verifyPdf(tampered, [key.info]), `byte ${at}`).toBeUndefined();
    }
  });

  it('is invalid when a signature digit changes, even only its case', () => {
    const start = readPdfSignature(pdf)?.start ?? 0;
    const flipped = Buffer.from(pdf);
    flipped[start + 10] = (flipped[start + 10] ?? 0) === 0x30 ? 0x31 : 0x30;
    expect(verifyPdf(flipped, [key.info])).toBeUndefined();
    const upper = Buffer.from(pdf);
    const digits = upper.subarray(start, start + 128).toString('latin1');
    upper.write(digits.toUpperCase(), start, 'latin1');
    expect(digits).not.toBe(digits.toUpperCase());
    expect(verifyPdf(upper, [key.info])).toBeUndefined();
  });

  it('is invalid when truncated or when bytes are appended', () => {
    expect(verifyPdf(pdf.subarray(0, pdf.length - 10), [key.info])).toBeUndefined();
    expect(verifyPdf(pdf.subarray(0, 1000), [key.info])).toBeUndefined();
    expect(verifyPdf(Buffer.concat([pdf, Buffer.from('\n%%EOF\n')]), [key.info])).toBeUndefined();
  });

  it('is invalid when a printed value is replaced and the original signature copied in', async () => {
    const forged = content({
      fields: [
        { label: { id: 'Nama anak', en: "Child's name" }, value: 'Putri Ayu Lestary' },
        { label: { id: 'Tempat lahir', en: 'Place of birth' }, value: 'Sukamaju' },
      ],
    });
    const unsigned = await renderDocumentPdf(renderInput(forged));
    const copied = signPdf(unsigned, readPdfSignature(pdf)?.signature ?? Buffer.alloc(64));
    expect(drawnText(copied)).toContain('Putri Ayu Lestary');
    expect(verifyPdf(copied, [key.info])).toBeUndefined();
  });

  it('is invalid when a second signature entry is added (one reading of what is signed)', () => {
    const text = pdf.toString('latin1');
    const doubled = Buffer.from(text.replace('/GapuraKeyId', '/GapuraSig <00>\n/GapuraKeyId'), 'latin1');
    expect(readPdfSignature(doubled)).toBeUndefined();
    expect(readPdfSignature(Buffer.from('not a pdf'))).toBeUndefined();
  });

  it('draws values in any script without crashing, and keeps long documents on several pages', async () => {
    const fields = [
      { label: { id: 'Nama', en: 'Name' }, value: '王小明 / Nguyễn Thị Ánh / ꦧꦸꦢꦶ / محمد / Ωμέγα 😀' },
      { label: { id: 'Alamat', en: 'Address' }, value: `Jl. ${'Panjang '.repeat(300)}` },
      ...Array.from({ length: 60 }, (_, i) => ({
        label: { id: `Baris ${i}`, en: `Row ${i}` },
        value: `nilai ${i}`,
      })),
    ];
    const long = await signedPdf(content({ fields }), key);
    expect(verifyPdf(long, [key.info])).toBeDefined();
    const loaded = await PDFDocument.load(long);
    expect(loaded.getPageCount()).toBeGreaterThan(1);
    expect(drawnText(long)).toContain('??? / Nguyen Thi \xc1nh / ???? / ???? / ????? ?');
  });
});
