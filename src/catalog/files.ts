/**
 * Reading service definitions from YAML or JSON text and files, and finding the demo definitions.
 * Parse errors become {@link Problem}s at the path '' with the line and column, so a command can
 * print them like any other problem. Import and export (with the catalogue tables) build on these.
 */
import { readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { LineCounter, parseDocument } from 'yaml';
import { type Problem, problem } from './problems.ts';

export type DefinitionFormat = 'yaml' | 'json';

export type ParsedText =
  | { readonly ok: true; readonly value: unknown }
  | { readonly ok: false; readonly problems: Problem[] };

/** `.json` files are JSON; everything else is read as YAML (which also accepts JSON). */
export function formatOfFile(file: string): DefinitionFormat {
  return path.extname(file).toLowerCase() === '.json' ? 'json' : 'yaml';
}

function parseProblem(where: string, detail: string): Problem {
  return problem('', 'file.parse', {
    id: `Berkas tidak dapat dibaca${where}: ${detail}`,
    en: `The file cannot be parsed${where}: ${detail}`,
  });
}

function parseJson(text: string): ParsedText {
  try {
    const value: unknown = JSON.parse(text);
    return { ok: true, value };
  } catch (err) {
    return {
      ok: false,
      problems: [parseProblem(' (JSON)', err instanceof Error ? err.message : String(err))],
    };
  }
}

function parseYaml(text: string): ParsedText {
  const lineCounter = new LineCounter();
  const doc = parseDocument(text, { uniqueKeys: true, prettyErrors: false, lineCounter });
  if (doc.errors.length > 0) {
    return {
      ok: false,
      problems: doc.errors.map((err) => {
        const at = lineCounter.linePos(err.pos[0]);
        return parseProblem(` (baris/line ${at.line}, kolom/column ${at.col})`, err.message);
      }),
    };
  }
  try {
    const value: unknown = doc.toJS({ maxAliasCount: 100 });
    return { ok: true, value };
  } catch (err) {
    return { ok: false, problems: [parseProblem('', err instanceof Error ? err.message : String(err))] };
  }
}

export function parseDefinitionText(text: string, format: DefinitionFormat): ParsedText {
  return format === 'json' ? parseJson(text) : parseYaml(text);
}

/** Reads and parses a definition file. Throws only when the file cannot be read (e.g. ENOENT). */
export function readDefinitionFile(file: string): ParsedText {
  return parseDefinitionText(readFileSync(file, 'utf8'), formatOfFile(file));
}

/** The folder of the demo service definitions shipped with Gapura. */
export const DEMO_DEFINITIONS_DIR = path.join(import.meta.dirname, 'demo');

/** Absolute paths of the demo definitions (`*.yaml`), sorted by name. */
export function demoDefinitionFiles(): string[] {
  return readdirSync(DEMO_DEFINITIONS_DIR)
    .filter((name) => name.endsWith('.yaml'))
    .sort()
    .map((name) => path.join(DEMO_DEFINITIONS_DIR, name));
}
