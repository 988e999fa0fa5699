/**
 * The receipt as a PDF: the same facts as the receipt page and the QR code to public tracking, on
 * one A4 page with the standard Helvetica fonts (nothing to embed, so the file stays small).
 */
import { PDFDocument, type PDFFont, rgb, StandardFonts } from 'pdf-lib';
import QRCode from 'qrcode';

export interface ReceiptPdfInput {
  title: string;
  lines: { label: string; value: string; big?: boolean }[];
  /** Paragraphs under the facts (how to use the secret, where the QR code leads). */
  notes: string[];
  qrUrl: string;
  qrCaption: string;
  footer: string;
}

/** Characters of Windows-1252 above 0x7F that are not Latin-1 (the standard fonts' encoding). */
const WIN_ANSI_EXTRA = new Set('€‚ƒ„…†‡ˆ‰Š‹ŒŽ‘’“”•–—˜™š›œžŸ');

/**
 * Text the standard fonts can draw: accents are kept where Latin-1 has them, other letters lose
 * their marks, and anything else (scripts outside Latin, emoji) becomes "?".
 */
export function winAnsiText(text: string): string {
  let out = '';
  for (const ch of text.normalize('NFC')) {
    const code = ch.codePointAt(0) ?? 0;
    if ((code >= 0x20 && code <= 0x7e) || (code >= 0xa0 && code <= 0xff) || WIN_ANSI_EXTRA.has(ch)) {
      out += ch;
      continue;
    }
    if (ch === '\n' || ch === '\t') {
      out += ' ';
      continue;
    }
    const stripped = ch.normalize('NFD').replace(/\p{M}/gu, '');
    out += /^[\x20-\x7e]+$/.test(stripped) ? stripped : '?';
  }
  return out;
}

/** Splits text into lines that fit `width` at `size`. */
function wrap(text: string, font: PDFFont, size: number, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter(Boolean)) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (font.widthOfTextAtSize(candidate, size) <= width || line === '') line = candidate;
    else {
      lines.push(line);
      line = word;
    }
  }
  if (line !== '') lines.push(line);
  return lines;
}

export async function receiptPdf(input: ReceiptPdfInput): Promise<Uint8Array> {
  const pdf = await PDFDocument.create();
  pdf.setTitle(winAnsiText(input.title));
  pdf.setProducer('Gapura');
  pdf.setCreator('Gapura');
  const page = pdf.addPage([595.28, 841.89]);
  const regular = await pdf.embedFont(StandardFonts.Helvetica);
  const bold = await pdf.embedFont(StandardFonts.HelveticaBold);
  const ink = rgb(0.106, 0.122, 0.141);
  const muted = rgb(0.29, 0.333, 0.376);
  const margin = 56;
  const width = page.getWidth() - margin * 2;
  let y = page.getHeight() - margin;

  const draw = (text: string, font: PDFFont, size: number, color = ink, maxWidth = width) => {
    for (const line of wrap(winAnsiText(text), font, size, maxWidth)) {
      y -= size * 1.3;
      page.drawText(line, { x: margin, y, size, font, color });
    }
  };

  draw(input.title, bold, 20);
  y -= 12;
  const qrSize = 150;
  const qrTop = y;
  const textWidth = width - qrSize - 20;
  for (const line of input.lines) {
    draw(line.label, regular, 10, muted, textWidth);
    draw(line.value, bold, line.big ? 20 : 12, ink, textWidth);
    y -= 8;
  }
  const png = await QRCode.toBuffer(input.qrUrl, {
    type: 'png',
    margin: 1,
    width: 300,
    errorCorrectionLevel: 'M',
  });
  const image = await pdf.embedPng(png);
  page.drawImage(image, { x: margin + width - qrSize, y: qrTop - qrSize, width: qrSize, height: qrSize });
  const captionLines = wrap(winAnsiText(input.qrCaption), regular, 8, qrSize);
  captionLines.forEach((line, i) => {
    page.drawText(line, {
      x: margin + width - qrSize,
      y: qrTop - qrSize - 12 - i * 10,
      size: 8,
      font: regular,
      color: muted,
    });
  });
  y = Math.min(y, qrTop - qrSize - 12 - captionLines.length * 10) - 8;
  for (const note of input.notes) {
    draw(note, regular, 11);
    y -= 6;
  }
  y -= 10;
  draw(input.footer, regular, 9, muted);
  return pdf.save();
}
