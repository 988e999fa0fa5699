import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { procedureDiagramSvg, wrapText } from './diagram.ts';
import { demoDefinitionFiles, readDefinitionFile } from './files.ts';
import type { Workflow } from './schemas.ts';
import { validateDefinition } from './validate.ts';

const LANGUAGES = ['id', 'en'] as const;

const demoWorkflows: Array<[string, Workflow]> = demoDefinitionFiles().map((file) => {
  const parsed = readDefinitionFile(file);
  if (!parsed.ok) throw new Error(`${file} does not parse`);
  const result = validateDefinition(parsed.value);
  if (!result.ok) throw new Error(`${file} is not valid: ${JSON.stringify(result.problems)}`);
  return [path.basename(file, '.yaml'), result.definition.workflow];
});

function demoWorkflow(name: string): Workflow {
  const found = demoWorkflows.find(([n]) => n === name);
  if (found === undefined) throw new Error(`no demo ${name}`);
  return found[1];
}

const ENTITIES: Record<string, string> = { amp: '&', lt: '<', gt: '>', quot: '"', apos: "'" };

function unescapeXml(text: string): string {
  return text.replace(/&(#\d+|[a-z]+);/g, (whole, name: string) =>
    name.startsWith('#') ? String.fromCodePoint(Number(name.slice(1))) : (ENTITIES[name] ?? whole),
  );
}

const TOKEN = /<(\/?)([A-Za-z][\w:.-]*)((?:\s+[A-Za-z_:][\w:.-]*="[^"<]*")*)\s*(\/?)>|([^<]+)|(<)/y;
const BAD_AMPERSAND = /&(?!(?:amp|lt|gt|quot|apos|#\d+|#x[0-9a-fA-F]+);)/;

/**
 * Problems that make `xml` not well-formed, for the subset of XML an SVG here uses: elements,
 * double-quoted attributes, text, the predefined entities and character references.
 */
function wellFormednessProblems(xml: string): string[] {
  const problems: string[] = [];
  const open: string[] = [];
  let roots = 0;
  for (let at = 0; at < xml.length; ) {
    TOKEN.lastIndex = at;
    const match = TOKEN.exec(xml);
    if (match === null || match[6] !== undefined) return [...problems, `stray "<" at ${at}`];
    at = TOKEN.lastIndex;
    const [, closing, name = '', attributes = '', selfClosing, text] = match;
    if (text !== undefined) {
      if (BAD_AMPERSAND.test(text)) problems.push(`unescaped "&" in text at ${at}`);
      if (open.length === 0 && text.trim() !== '') problems.push(`text outside the root at ${at}`);
      continue;
    }
    if (BAD_AMPERSAND.test(attributes)) problems.push(`unescaped "&" in an attribute of <${name}>`);
    const names = [...attributes.matchAll(/([\w:.-]+)="/g)].map((m) => m[1]);
    if (new Set(names).size !== names.length) problems.push(`repeated attribute in <${name}>`);
    if (closing === '/') {
      const expected = open.pop();
      if (expected !== name) problems.push(`</${name}> closes <${expected ?? 'nothing'}>`);
    } else {
      if (open.length === 0 && ++roots > 1) problems.push(`second root element <${name}>`);
      if (selfClosing !== '/') open.push(name);
    }
  }
  if (open.length > 0) problems.push(`unclosed ${open.map((name) => `<${name}>`).join(' ')}`);
  return problems;
}

/** The text of each `<text>` element outside the title and description, lines joined by spaces. */
function visibleTexts(svg: string): string[] {
  return [...svg.matchAll(/<text[^>]*>(.*?)<\/text>/g)].map((m) =>
    [...(m[1] ?? '').matchAll(/<tspan[^>]*>(.*?)<\/tspan>/g)].map((t) => unescapeXml(t[1] ?? '')).join(' '),
  );
}

function descriptionOf(svg: string): string {
  return unescapeXml(/<desc[^>]*>([\s\S]*?)<\/desc>/.exec(svg)?.[1] ?? '');
}

/** State boxes with their captions: the rectangles and the centred texts come in the same order. */
function boxesOf(svg: string): Array<{ caption: string; x: number; y: number; width: number; fill: string }> {
  const rects = [...svg.matchAll(/<rect x="([\d.]+)" y="([\d.]+)" width="([\d.]+)"[^>]* fill="([^"]+)"/g)];
  const captions = visibleTexts(/text-anchor="middle">(.*?)<\/g>/.exec(svg)?.[1] ?? '');
  return rects.map((r, i) => ({
    caption: captions[i] ?? '',
    x: Number(r[1]),
    y: Number(r[2]),
    width: Number(r[3]),
    fill: r[4] ?? '',
  }));
}

function boxCaptioned(svg: string, caption: string) {
  const box = boxesOf(svg).find((b) => b.caption.endsWith(caption));
  if (box === undefined) throw new Error(`no box "${caption}"`);
  return box;
}

const hostileWorkflow: Workflow = {
  startState: 'a',
  states: [
    {
      key: 'a',
      label: { id: '<script>alert("x")</script> & \'a\'', en: 'A' },
      applicantCanEdit: false,
      slaRuns: true,
    },
    {
      key: 'b',
      label: { id: 'Selesai <b>', en: 'Done' },
      applicantCanEdit: false,
      slaRuns: false,
      terminal: 'approved',
    },
  ],
  actions: [
    { key: 'ok', label: { id: 'Setujui & "kirim"', en: 'OK' }, from: 'a', to: 'b', roles: ['approver'] },
  ],
};

describe('the well-formedness check used by these tests', () => {
  it('rejects broken markup', () => {
    expect(wellFormednessProblems('<svg><g></svg>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg>a & b</svg>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg a="1" a="2"/>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg><g/></svg><svg/>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg><text>1 < 2</text></svg>')).not.toEqual([]);
    expect(wellFormednessProblems('<svg><text x="1">a &amp; b &#39;</text><g/></svg>')).toEqual([]);
  });
});

describe('procedureDiagramSvg', () => {
  it.each(demoWorkflows)('draws every state and action of %s, in both languages', (_, workflow) => {
    for (const lang of LANGUAGES) {
      const svg = procedureDiagramSvg(workflow, lang);
      const shown = visibleTexts(svg).join('\n');
      const description = descriptionOf(svg);
      for (const item of [...workflow.states, ...workflow.actions]) {
        expect(shown).toContain(item.label[lang]);
        expect(description).toContain(item.label[lang]);
      }
      expect(shown).not.toContain('…');
    }
  });

  it.each(demoWorkflows)('writes well-formed XML for %s', (_, workflow) => {
    for (const lang of LANGUAGES)
      expect(wellFormednessProblems(procedureDiagramSvg(workflow, lang))).toEqual([]);
  });

  it.each(demoWorkflows)('keeps the diagram of %s under 12 KB', (_, workflow) => {
    for (const lang of LANGUAGES) {
      expect(Buffer.byteLength(procedureDiagramSvg(workflow, lang))).toBeLessThan(12 * 1024);
    }
  });

  it('escapes markup in labels and in the title', () => {
    const svg = procedureDiagramSvg(hostileWorkflow, 'id', { title: 'Alur "A" & <B>' });
    expect(wellFormednessProblems(svg)).toEqual([]);
    expect(svg).not.toContain('<script');
    expect(svg).not.toContain('<b>');
    expect(svg).toContain('&lt;script&gt;alert(&quot;x&quot;)&lt;/script&gt; &amp; &#39;a&#39;');
    expect(svg).toContain('<title id="procedure-title">Alur &quot;A&quot; &amp; &lt;B&gt;</title>');
    expect(visibleTexts(svg).join('\n')).toContain('Setujui & "kirim"');
  });

  it('loads nothing from elsewhere and runs nothing', () => {
    for (const [, workflow] of demoWorkflows) {
      const svg = procedureDiagramSvg(workflow, 'id');
      expect(svg).not.toMatch(/<script|<foreignObject|<image|\son[a-z]+=|href=|style=/i);
      expect(svg.match(/https?:\/\/[^"]*/g)).toEqual(['http://www.w3.org/2000/svg']);
      expect(svg.match(/url\([^)]*\)/g)?.every((ref) => ref.startsWith('url(#'))).toBe(true);
    }
  });

  it('gives the same output for the same workflow', () => {
    const workflow = demoWorkflow('persetujuan-bangunan-gedung');
    expect(procedureDiagramSvg(structuredClone(workflow), 'en')).toBe(procedureDiagramSvg(workflow, 'en'));
  });

  it('is an image named by its title and described by the steps as text', () => {
    const workflow = demoWorkflow('akta-kelahiran');
    const svg = procedureDiagramSvg(workflow, 'id', { title: 'Alur Akta Kelahiran' });
    expect(svg).toMatch(/^<svg [^>]*role="img"/);
    expect(svg).toMatch(/aria-labelledby="procedure-title" aria-describedby="procedure-desc"/);
    expect(svg).toContain('<title id="procedure-title">Alur Akta Kelahiran</title>');
    const steps = descriptionOf(svg).split('\n');
    expect(steps).toHaveLength(workflow.states.length);
    expect(steps[0]).toBe(
      '1. Diajukan, menunggu verifikasi (awal): Data dan dokumen sesuai → Terverifikasi, menunggu tanda tangan; ' +
        'Kembalikan untuk perbaikan → Perlu perbaikan oleh pemohon; Tolak permohonan → Ditolak; ' +
        'Batalkan permohonan → Dibatalkan pemohon.',
    );
    expect(steps).toContain('3. Akta terbit: selesai, disetujui.');
    const english = descriptionOf(procedureDiagramSvg(workflow, 'en'));
    expect(english).toContain('Rejected: end, rejected.');
    expect(procedureDiagramSvg(workflow, 'en')).toContain(
      '<title id="procedure-title">Service procedure</title>',
    );
  });

  it('scales to the width of a phone screen', () => {
    for (const [, workflow] of demoWorkflows) {
      const svg = procedureDiagramSvg(workflow, 'en');
      expect(svg).toMatch(/^<svg [^>]*viewBox="0 0 360 \d+" width="100%"/);
      for (const box of boxesOf(svg)) expect(box.x + box.width).toBeLessThanOrEqual(360);
    }
  });

  it('runs the main steps from the top down, ending in approval, with the other outcomes beside them', () => {
    const svg = procedureDiagramSvg(demoWorkflow('akta-kelahiran'), 'id');
    const submitted = boxCaptioned(svg, 'Diajukan, menunggu verifikasi');
    const verified = boxCaptioned(svg, 'Terverifikasi, menunggu tanda tangan');
    const approved = boxCaptioned(svg, '✓ Akta terbit');
    const rejected = boxCaptioned(svg, '✗ Ditolak');
    const withdrawn = boxCaptioned(svg, '– Dibatalkan pemohon');
    const revision = boxCaptioned(svg, 'Perlu perbaikan oleh pemohon');
    expect(submitted.y).toBeLessThan(verified.y);
    expect(verified.y).toBeLessThan(approved.y);
    expect(approved.x).toBe(submitted.x);
    for (const side of [rejected, withdrawn, revision])
      expect(side.x).toBeGreaterThan(submitted.x + submitted.width);
    // The revision step sits level with the step it returns to (as far as the label above it allows).
    expect(revision.y).toBeGreaterThanOrEqual(submitted.y);
    expect(revision.y).toBeLessThan(verified.y);
  });

  it('styles outcomes by colour and by symbol', () => {
    const svg = procedureDiagramSvg(demoWorkflow('akta-kelahiran'), 'en');
    const fills = new Set(
      [
        '✓ Certificate issued',
        '✗ Rejected',
        '– Withdrawn by the applicant',
        'Verified, awaiting signature',
      ].map((caption) => boxCaptioned(svg, caption).fill),
    );
    expect(fills.size).toBe(4);
  });

  it('marks the start and draws every action as one line ending in an arrowhead', () => {
    const workflow = demoWorkflow('izin-usaha-mikro');
    const svg = procedureDiagramSvg(workflow, 'en');
    expect(visibleTexts(svg)).toContain('Start');
    expect(svg).toMatch(/<rect [^>]*stroke-width="2.5"/g);
    expect(svg.match(/<rect [^>]*stroke-width="2.5"/g)).toHaveLength(1);
    const arrows = /<g [^>]*marker-end="url\(#procedure-arrow\)">(.*?)<\/g>/.exec(svg)?.[1] ?? '';
    expect(arrows.match(/<path /g)).toHaveLength(workflow.actions.length + 1);
  });

  it('uses the given id prefix, so two diagrams can share a page', () => {
    const svg = procedureDiagramSvg(demoWorkflow('sktm'), 'id', { idPrefix: 'sktm-v2' });
    expect(svg).toContain('aria-labelledby="sktm-v2-title" aria-describedby="sktm-v2-desc"');
    expect(svg).toContain('<marker id="sktm-v2-arrow"');
    expect(svg).toContain('url(#sktm-v2-arrow)');
    expect(svg).not.toContain('procedure-');
  });

  it('draws workflows with skips, loops and unreachable states', () => {
    const step = (key: string) => ({
      key,
      label: { id: key, en: key },
      applicantCanEdit: false,
      slaRuns: true,
    });
    const workflow: Workflow = {
      startState: 'a',
      states: [step('c'), step('b'), step('a'), step('lost'), { ...step('z'), terminal: 'approved' }],
      actions: [
        { key: 'ab', label: { id: 'ab', en: 'ab' }, from: 'a', to: 'b', roles: ['verifier'] },
        { key: 'bc', label: { id: 'bc', en: 'bc' }, from: 'b', to: 'c', roles: ['verifier'] },
        { key: 'ca', label: { id: 'ca', en: 'ca' }, from: 'c', to: 'a', roles: ['verifier'] },
        { key: 'cc', label: { id: 'cc', en: 'cc' }, from: 'c', to: 'c', roles: ['verifier'] },
        { key: 'az', label: { id: 'az', en: 'az' }, from: ['a', 'b', 'c'], to: 'z', roles: ['approver'] },
        { key: 'lz', label: { id: 'lz', en: 'lz' }, from: 'lost', to: 'z', roles: ['approver'] },
      ],
    };
    const svg = procedureDiagramSvg(workflow, 'en');
    expect(wellFormednessProblems(svg)).toEqual([]);
    const ys = ['a', 'b', 'c', '✓ z'].map((caption) => boxCaptioned(svg, caption).y);
    expect([...ys].sort((p, q) => p - q)).toEqual(ys);
    expect(visibleTexts(svg)).toEqual(expect.arrayContaining(['ab', 'bc', 'ca', 'cc', 'az', 'lz']));
  });
});

describe('wrapText', () => {
  it('keeps a short label on one line', () => {
    expect(wrapText('Ditolak', 100)).toEqual(['Ditolak']);
  });

  it('wraps at spaces and ends a label too long for three lines with an ellipsis', () => {
    const lines = wrapText('Setujui dan tandatangani akta kelahiran beserta kutipan dan salinannya', 80);
    expect(lines).toHaveLength(3);
    expect(lines[0]).toBe('Setujui dan');
    expect(lines[2]?.endsWith('…')).toBe(true);
  });

  it('breaks a word longer than a line', () => {
    const lines = wrapText('Pemutakhirandatakependudukan', 60);
    expect(lines.length).toBeGreaterThan(1);
    expect(lines[0]?.endsWith('-')).toBe(true);
    expect(lines.join('').replaceAll('-', '').replace('…', '')).toMatch(/^Pemutakhiran/);
  });
});
