import { createHash } from 'node:crypto';
import {
  PDFDict,
  PDFDocument,
  type PDFFont,
  PDFHexString,
  PDFName,
  type PDFPage,
  PDFString,
  rgb,
  StandardFonts,
} from 'pdf-lib';
import QRCode from 'qrcode';
import type { DocumentContent } from './schemas.ts';
import { type PublicKeyInfo, verifiesUnder } from './signer.ts';

/**
 * The signed PDF. The signature lives in the document information dictionary as
 * `/GapuraSig <128 lowercase hex digits>` and covers every byte of the file except those digits
 * (the idea of a PAdES /ByteRange, without CMS): the message is
 *   gapura-document-pdf-v1\n<bytes before the digits><bytes after the digits>
 * The same dictionary names the document (`/GapuraDocumentId`, `/GapuraNumber`,
 * `/GapuraIssuedAt`) and the agency key (`/GapuraKeyId`), all inside the signed bytes.
 */

/** An Ed25519 signature is 64 bytes: 128 hex digits. */
const SIG_HEX_LENGTH = 128;
const PLACEHOLDER = '0'.repeat(SIG_HEX_LENGTH);
const PDF_MESSAGE_PREFIX = Buffer.from('gapura-document-pdf-v1\n', 'utf8');

const PAGE_WIDTH = 595.28;
const PAGE_HEIGHT = 841.89;
const MARGIN = 56;
const LABEL_WIDTH = 170;
const COLUMN_GAP = 14;
const VALUE_X = MARGIN + LABEL_WIDTH + COLUMN_GAP;
const VALUE_WIDTH = PAGE_WIDTH - MARGIN - VALUE_X;
const FOOTER_Y = 32;
const BOTTOM = 60;
const QR_SIZE = 112;
const GREY = rgb(0.33, 0.33, 0.33);

export interface RenderInput {
  content: DocumentContent;
  /** The agency key that will sign the PDF (named inside the signed bytes). */
  keyId: string;
  /** What the QR code carries: the verification address with the content signature. */
  qrUrl: string;
  /** The short verification address printed under the QR code. */
  printedUrl: string;
  /** The agency's time zone, for the printed issue date. */
  timeZone: string;
}

interface Fonts {
  regular: PDFFont;
  bold: PDFFont;
  italic: PDFFont;
  /** Code points WinAnsi (the standard fonts' encoding) can show. */
  charset: Set<number>;
}

/** Dashes, quotes and spaces WinAnsi lacks, and what to print instead. */
const REPLACEMENTS: Record<string, string> = {
  '\u2010': '-',
  '\u2011': '-',
  '\u2012': '-',
  '\u2015': '-',
  '\u2212': '-',
  '\u00a0': ' ',
  '\u2007': ' ',
  '\u2009': ' ',
  '\u200a': ' ',
  '\u202f': ' ',
  '\u2032': "'",
  '\u2033': '"',
  '\u2044': '/',
};

/**
 * Text the standard fonts can draw: characters WinAnsi lacks lose their accents when that makes
 * them drawable (ő → o), a few are mapped (non-breaking spaces, minus), the rest become "?". The
 * signed content and the verification page keep the text as given.
 */
export function printable(text: string, charset: ReadonlySet<number>): string {
  let out = '';
  for (const char of text.normalize('NFC')) {
    const code = char.codePointAt(0) ?? 0;
    if (charset.has(code)) {
      out += char;
      continue;
    }
    if (/\s/u.test(char) || code < 0x20 || (code >= 0x7f && code < 0xa0)) {
      out += ' ';
      continue;
    }
    const mapped = REPLACEMENTS[char];
    if (mapped !== undefined) {
      out += mapped;
      continue;
    }
    const bare = char.normalize('NFD').replace(/\p{M}/gu, '');
    out += bare !== '' && [...bare].every((c) => charset.has(c.codePointAt(0) ?? 0)) ? bare : '?';
  }
  return out;
}

/** Breaks text into lines no wider than `width`, breaking inside words only when one is too long. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  for (const paragraph of text.split(/\r\n|\r|\n/)) {
    let line = '';
    for (const word of paragraph.split(/ +/)) {
      const candidate = line === '' ? word : `${line} ${word}`;
      if (font.widthOfTextAtSize(candidate, size) <= width) {
        line = candidate;
        continue;
      }
      if (line !== '') lines.push(line);
      line = '';
      let rest = word;
      while (font.widthOfTextAtSize(rest, size) > width) {
        let cut = rest.length - 1;
        while (cut > 1 && font.widthOfTextAtSize(rest.slice(0, cut), size) > width) cut--;
        lines.push(rest.slice(0, cut));
        rest = rest.slice(cut);
      }
      line = rest;
    }
    lines.push(line);
  }
  return lines;
}

interface Block {
  text: string;
  font: PDFFont;
  size: number;
  color?: ReturnType<typeof rgb>;
}

/** Lays text out top to bottom, starting a new page when the next row does not fit. */
class Layout {
  pages: PDFPage[] = [];
  y = 0;

  constructor(
    private readonly doc: PDFDocument,
    private readonly fonts: Fonts,
  ) {
    this.newPage();
  }

  newPage(): void {
    this.pages.push(this.doc.addPage([PAGE_WIDTH, PAGE_HEIGHT]));
    this.y = PAGE_HEIGHT - MARGIN;
  }

  get page(): PDFPage {
    const page = this.pages[this.pages.length - 1];
    if (!page) throw new Error('no page');
    return page;
  }

  lines(block: Block, width: number): string[] {
    return wrap(printable(block.text, this.fonts.charset), block.font, block.size, width);
  }

  /** Space for `height` points, on a new page when this one is full. */
  ensure(height: number): void {
    if (this.y - height < BOTTOM) this.newPage();
  }

  /** Draws blocks in one column at `x`, from the current line down; returns the height used. */
  column(blocks: Block[], x: number, width: number, top = this.y): number {
    let y = top;
    for (const block of blocks) {
      for (const line of this.lines(block, width)) {
        y -= block.size * 1.25;
        this.page.drawText(line, {
          x,
          y,
          size: block.size,
          font: block.font,
          color: block.color ?? rgb(0, 0, 0),
        });
      }
    }
    return top - y;
  }

  height(blocks: Block[], width: number): number {
    return blocks.reduce((sum, b) => sum + this.lines(b, width).length * b.size * 1.25, 0);
  }

  /** A label (both languages) beside a value, as one row that never splits across pages. */
  row(label: { id: string; en: string }, value: Block): void {
    const labelBlocks: Block[] = [
      { text: label.id, font: this.fonts.bold, size: 9.5 },
      { text: label.en, font: this.fonts.italic, size: 8, color: GREY },
    ];
    const valueBlocks = [value];
    const height = Math.max(this.height(labelBlocks, LABEL_WIDTH), this.height(valueBlocks, VALUE_WIDTH));
    this.ensure(Math.min(height, PAGE_HEIGHT - MARGIN - BOTTOM));
    const top = this.y;
    this.column(labelBlocks, MARGIN, LABEL_WIDTH, top);
    this.column(valueBlocks, VALUE_X, VALUE_WIDTH, top);
    this.y = top - height - 8;
  }

  rule(): void {
    this.y -= 6;
    this.page.drawLine({
      start: { x: MARGIN, y: this.y },
      end: { x: PAGE_WIDTH - MARGIN, y: this.y },
      thickness: 0.75,
      color: GREY,
    });
    this.y -= 10;
  }
}

function longDate(iso: string, lang: 'id-ID' | 'en-GB', timeZone: string): string {
  return new Intl.DateTimeFormat(lang, { timeZone, day: 'numeric', month: 'long', year: 'numeric' }).format(
    new Date(iso),
  );
}

/** The document PDF with an empty signature placeholder; {@link signPdf} fills it. */
export async function renderDocumentPdf(input: RenderInput): Promise<Buffer> {
  const { content } = input;
  const doc = await PDFDocument.create({ updateMetadata: false });
  const issued = new Date(content.issuedAt);
  doc.setTitle(`${content.documentName.id} ${content.number}`);
  doc.setAuthor(content.agency.name.id);
  doc.setCreator('Gapura');
  doc.setProducer('Gapura');
  doc.setLanguage('id-ID');
  doc.setCreationDate(issued);
  doc.setModificationDate(issued);
  const info = doc.context.lookup(doc.context.trailerInfo.Info, PDFDict);
  info.set(PDFName.of('GapuraDocumentId'), PDFString.of(content.id));
  info.set(PDFName.of('GapuraNumber'), PDFString.of(content.number));
  info.set(PDFName.of('GapuraIssuedAt'), PDFString.of(content.issuedAt));
  info.set(PDFName.of('GapuraKeyId'), PDFString.of(input.keyId));
  info.set(PDFName.of('GapuraSig'), PDFHexString.of(PLACEHOLDER));
  // A fixed file identifier (derived from the document id) instead of none, so output is stable.
  const fileId = createHash('sha256').update(content.id).digest('hex').slice(0, 32);
  doc.context.trailerInfo.ID = doc.context.obj([PDFHexString.of(fileId), PDFHexString.of(fileId)]);

  const regular = await doc.embedFont(StandardFonts.Helvetica);
  const fonts: Fonts = {
    regular,
    bold: await doc.embedFont(StandardFonts.HelveticaBold),
    italic: await doc.embedFont(StandardFonts.HelveticaOblique),
    charset: new Set(regular.getCharacterSet()),
  };
  const layout = new Layout(doc, fonts);
  const width = PAGE_WIDTH - 2 * MARGIN;

  layout.y -= layout.column(
    [
      { text: content.agency.name.id, font: fonts.bold, size: 13 },
      { text: content.agency.name.en, font: fonts.italic, size: 9, color: GREY },
    ],
    MARGIN,
    width,
  );
  layout.rule();
  layout.y -= layout.column(
    [
      { text: content.documentName.id, font: fonts.bold, size: 18 },
      { text: content.documentName.en, font: fonts.italic, size: 11, color: GREY },
    ],
    MARGIN,
    width,
  );
  layout.y -= 14;
  layout.row({ id: 'Nomor', en: 'Number' }, { text: content.number, font: fonts.bold, size: 11 });
  layout.row(
    { id: 'Layanan', en: 'Service' },
    { text: `${content.service.name.id} / ${content.service.name.en}`, font: fonts.regular, size: 11 },
  );
  layout.rule();
  for (const field of content.fields) {
    layout.row(field.label, { text: field.value, font: fonts.regular, size: 11 });
  }
  layout.rule();
  layout.row(
    { id: 'Tanggal terbit', en: 'Date of issue' },
    {
      text: `${longDate(content.issuedAt, 'id-ID', input.timeZone)} / ${longDate(content.issuedAt, 'en-GB', input.timeZone)}`,
      font: fonts.regular,
      size: 11,
    },
  );

  // The verification block: the QR code and how to check the document without it.
  layout.ensure(QR_SIZE + 10);
  const top = layout.y;
  const qr = await doc.embedPng(
    await QRCode.toBuffer(input.qrUrl, { type: 'png', errorCorrectionLevel: 'M', margin: 2, scale: 4 }),
  );
  layout.page.drawImage(qr, { x: MARGIN, y: top - QR_SIZE, width: QR_SIZE, height: QR_SIZE });
  const textX = MARGIN + QR_SIZE + COLUMN_GAP;
  layout.column(
    [
      {
        text: `Dokumen ini ditandatangani secara elektronik oleh ${content.agency.name.id}.`,
        font: fonts.regular,
        size: 9,
      },
      {
        text: `This document is electronically signed by ${content.agency.name.en}.`,
        font: fonts.italic,
        size: 8.5,
        color: GREY,
      },
      {
        text: 'Periksa keasliannya dengan memindai kode QR, atau unggah berkas PDF ini di:',
        font: fonts.regular,
        size: 9,
      },
      {
        text: 'Check it by scanning the QR code, or upload this PDF file at:',
        font: fonts.italic,
        size: 8.5,
        color: GREY,
      },
      { text: input.printedUrl, font: fonts.bold, size: 9 },
      { text: `Kunci / Key: ${input.keyId}`, font: fonts.regular, size: 7.5, color: GREY },
    ],
    textX,
    PAGE_WIDTH - MARGIN - textX,
    top,
  );
  layout.y = top - QR_SIZE - 10;

  const count = layout.pages.length;
  layout.pages.forEach((page, index) => {
    const text = printable(
      `${content.number} - halaman ${index + 1} dari ${count} / page ${index + 1} of ${count}`,
      fonts.charset,
    );
    const size = 8;
    page.drawText(text, {
      x: (PAGE_WIDTH - fonts.regular.widthOfTextAtSize(text, size)) / 2,
      y: FOOTER_Y,
      size,
      font: fonts.regular,
      color: GREY,
    });
  });

  return Buffer.from(await doc.save({ useObjectStreams: false }));
}

/** The entries a signed PDF names itself with, and the exact form of each value. */
const CLAIMS = [
  ['documentId', 'GapuraDocumentId', '[0-9a-f-]{36}'],
  ['number', 'GapuraNumber', '[A-Za-z0-9./-]{1,80}'],
  ['issuedAt', 'GapuraIssuedAt', '\\d{4}-\\d\\d-\\d\\dT\\d\\d:\\d\\d:\\d\\d\\.\\d{3}Z'],
  ['keyId', 'GapuraKeyId', '[0-9a-f-]{36}'],
] as const;

/** What a signed PDF says about itself, and where its signature digits are. */
export interface PdfSignature {
  documentId: string;
  number: string;
  issuedAt: string;
  keyId: string;
  signature: Buffer;
  /** Offset of the first hex digit of the signature. */
  start: number;
}

function countOf(text: string, needle: string): number {
  let count = 0;
  for (let at = text.indexOf(needle); at !== -1; at = text.indexOf(needle, at + 1)) count++;
  return count;
}

/**
 * Reads the signature entries of a PDF. Every entry must appear exactly once and in its exact
 * form (lowercase hex), so there is one reading of which bytes are signed; anything else is
 * not a Gapura document.
 */
export function readPdfSignature(bytes: Buffer): PdfSignature | undefined {
  if (bytes.length < 5 || bytes.subarray(0, 5).toString('latin1') !== '%PDF-') return undefined;
  const text = bytes.toString('latin1');
  const claims: Record<string, string> = {};
  for (const [name, tag, value] of CLAIMS) {
    if (countOf(text, `/${tag}`) !== 1) return undefined;
    const match = new RegExp(`/${tag} \\((${value})\\)`).exec(text);
    if (!match?.[1]) return undefined;
    claims[name] = match[1];
  }
  if (countOf(text, '/GapuraSig') !== 1) return undefined;
  const sig = /\/GapuraSig <([0-9a-f]{128})>/.exec(text);
  if (!sig?.[1]) return undefined;
  return {
    documentId: claims.documentId ?? '',
    number: claims.number ?? '',
    issuedAt: claims.issuedAt ?? '',
    keyId: claims.keyId ?? '',
    signature: Buffer.from(sig[1], 'hex'),
    start: sig.index + '/GapuraSig <'.length,
  };
}

/** The bytes a PDF signature covers: everything but the signature's hex digits, after a prefix. */
function signedBytes(bytes: Buffer, start: number): Buffer {
  return Buffer.concat([
    PDF_MESSAGE_PREFIX,
    bytes.subarray(0, start),
    bytes.subarray(start + SIG_HEX_LENGTH),
  ]);
}

/** The message to sign for a PDF from {@link renderDocumentPdf} (its placeholder still empty). */
export function pdfSigningMessage(unsigned: Buffer): Buffer {
  const start = unsigned.indexOf(`/GapuraSig <${PLACEHOLDER}>`, 0, 'latin1');
  if (start === -1) throw new Error('the PDF has no signature placeholder');
  return signedBytes(unsigned, start + '/GapuraSig <'.length);
}

/** Writes the signature into the placeholder: same length, so no offset in the file moves. */
export function signPdf(unsigned: Buffer, signature: Buffer): Buffer {
  if (signature.length * 2 !== SIG_HEX_LENGTH) throw new Error('a document signature is 64 bytes');
  const start = unsigned.indexOf(`/GapuraSig <${PLACEHOLDER}>`, 0, 'latin1');
  if (start === -1) throw new Error('the PDF has no signature placeholder');
  const signed = Buffer.from(unsigned);
  signed.write(signature.toString('hex'), start + '/GapuraSig <'.length, 'latin1');
  return signed;
}

/**
 * Checks a PDF's embedded signature against published keys: the key it names must be among
 * `keys`, valid at the issue time it states, and the signature must cover every other byte.
 * Returns what the PDF says about itself only when all of that holds.
 */
export function verifyPdf(bytes: Buffer, keys: readonly PublicKeyInfo[]): PdfSignature | undefined {
  const read = readPdfSignature(bytes);
  if (!read) return undefined;
  const message = signedBytes(bytes, read.start);
  return verifiesUnder(keys, read.keyId, message, read.signature, read.issuedAt) ? read : undefined;
}
