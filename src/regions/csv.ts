/**
 * Minimal RFC 4180 CSV parser: comma separator, double-quoted fields with `""` as an escaped quote,
 * quoted fields may contain commas and line breaks, LF or CRLF record endings, optional UTF-8 BOM.
 * Blank lines are skipped. Returns every record (including the header) as an array of fields.
 *
 * Lines without any quote character take a fast path (`String#split`), which keeps parsing the
 * ~84k-row villages file cheap; only lines containing quotes go through the character-level parser.
 */
export function parseCsv(text: string): string[][] {
  const records: string[][] = [];
  const n = text.length;
  let pos = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  while (pos < n) {
    let eol = text.indexOf('\n', pos);
    if (eol === -1) eol = n;
    const lineEnd = eol > pos && text.charCodeAt(eol - 1) === 13 ? eol - 1 : eol;
    const line = text.slice(pos, lineEnd);
    if (!line.includes('"')) {
      if (line.length > 0) records.push(line.split(','));
      pos = eol + 1;
      continue;
    }
    const parsed = parseQuotedRecord(text, pos);
    records.push(parsed.fields);
    pos = parsed.next;
  }
  return records;
}

/** Parses one record starting at `start`, honouring quotes; returns its fields and the next record's offset. */
function parseQuotedRecord(text: string, start: number): { fields: string[]; next: number } {
  const n = text.length;
  const fields: string[] = [];
  let field = '';
  let inQuotes = false;
  let i = start;
  while (i < n) {
    const ch = text[i];
    if (inQuotes) {
      if (ch === '"') {
        if (text[i + 1] === '"') {
          field += '"';
          i += 2;
        } else {
          inQuotes = false;
          i += 1;
        }
      } else {
        field += ch;
        i += 1;
      }
    } else if (ch === '"') {
      inQuotes = true;
      i += 1;
    } else if (ch === ',') {
      fields.push(field);
      field = '';
      i += 1;
    } else if (ch === '\n' || ch === '\r') {
      fields.push(field);
      const next = ch === '\r' && text[i + 1] === '\n' ? i + 2 : i + 1;
      return { fields, next };
    } else {
      field += ch;
      i += 1;
    }
  }
  fields.push(field);
  return { fields, next: n };
}
