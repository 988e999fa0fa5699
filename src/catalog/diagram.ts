/**
 * The workflow of a service drawn as a procedure diagram: an SVG rendered on the server, so the
 * service page shows it without JavaScript, fonts or images from elsewhere.
 *
 * The layout is a column sized for a 360 px phone screen. The main steps run down a spine in order of
 * their distance from the start (the longest forward path, so a step that can be skipped still comes
 * before the step after it), ending in the approved outcome. Steps off the main path (revision by the
 * applicant, rejection, withdrawal) sit in a side column. Arrows between consecutive main steps run
 * straight down; every other action is routed through a vertical lane (left of the spine for skips
 * and loops between main steps, between the columns for anything touching the side column), one lane
 * per action so all the places an action can be taken from join one line with one label.
 *
 * The picture is for sighted readers; screen readers get the same procedure as text in `<desc>`.
 */
import type { Language } from '../identity/identifiers/result.ts';
import type { TerminalOutcome, Workflow, WorkflowAction, WorkflowState } from './schemas.ts';

export interface DiagramOptions {
  /** The accessible name; defaults to "Alur layanan" / "Service procedure". */
  readonly title?: string;
  /** Prefix of the ids inside the SVG; give each diagram on one page its own. */
  readonly idPrefix?: string;
}

const WIDTH = 360;
const MARGIN = 8;
const FONT_SIZE = 11;
const LINE_HEIGHT = 13;
const BOX_PADDING_X = 6;
const BOX_PADDING_Y = 6;
const MAX_LINES = 3;
const LANE_SPACING = 9;
const PORT_SPACING = 8;
const MAX_LANES_WIDTH = 40;
const MAX_BUSES_WIDTH = 60;
const SIDE_WIDTH = 118;
const LABEL_GAP = 6;
const MIN_BAND = 22;
const START_BAND = 20;

const TEXT_COLOUR = '#0b0c0c';
const LINE_COLOUR = '#505a5f';
const LABEL_COLOUR = '#383f43';

/** Box colours by outcome; outcomes also get a symbol, so colour is never the only signal. */
const OUTCOME_STYLE: Record<TerminalOutcome | 'step', { fill: string; stroke: string; symbol: string }> = {
  step: { fill: '#ffffff', stroke: '#1d70b8', symbol: '' },
  approved: { fill: '#e6f2ea', stroke: '#00703c', symbol: '✓ ' },
  rejected: { fill: '#fbe9e6', stroke: '#d4351c', symbol: '✗ ' },
  withdrawn: { fill: '#f3f2f1', stroke: '#6f777b', symbol: '– ' },
};

const WORDS = {
  title: { id: 'Alur layanan', en: 'Service procedure' },
  start: { id: 'Mulai', en: 'Start' },
  startsAt: { id: 'awal', en: 'start' },
  outcome: {
    approved: { id: 'selesai, disetujui', en: 'end, approved' },
    rejected: { id: 'selesai, ditolak', en: 'end, rejected' },
    withdrawn: { id: 'selesai, dibatalkan', en: 'end, withdrawn' },
  },
} as const;

interface Box {
  readonly state: WorkflowState;
  readonly order: number;
  readonly column: 'spine' | 'side';
  lines: string[];
  x: number;
  y: number;
  width: number;
  height: number;
}

interface Edge {
  readonly from: Box;
  readonly to: Box;
}

type Route = 'straight' | 'lane' | 'bus';

interface Arrow {
  readonly action: WorkflowAction;
  readonly to: Box;
  /** One per state the action can be taken from; never empty. */
  readonly edges: readonly Edge[];
  readonly route: Route;
  /** x of its vertical line: the arrow itself ('straight') or its lane ('lane', 'bus'). */
  x: number;
  labelLines: string[];
}

interface Label {
  readonly lines: readonly string[];
  readonly x: number;
  readonly y: number;
}

// ---------------------------------------------------------------------------------------------
// Text

const NARROW = new Set(" iljftr.,:;'!|()[]/-");
const WIDE = new Set('mwMW@%');

/** Estimated width of `text` in the default sans-serif: wrapping needs a guess, not a measurement. */
function textWidth(text: string): number {
  let em = 0;
  for (const ch of text) {
    if (NARROW.has(ch)) em += 0.32;
    else if (WIDE.has(ch)) em += 0.9;
    else if (ch !== ch.toLowerCase()) em += 0.72;
    else em += 0.6;
  }
  return em * FONT_SIZE;
}

/** Breaks text into lines no wider than `width`, at most {@link MAX_LINES}, the last cut with "…". */
export function wrapText(text: string, width: number): string[] {
  const lines: string[] = [];
  let line = '';
  for (const word of text.split(/\s+/).filter((w) => w !== '')) {
    const candidate = line === '' ? word : `${line} ${word}`;
    if (textWidth(candidate) <= width) {
      line = candidate;
      continue;
    }
    if (line !== '') lines.push(line);
    line = word;
    while (textWidth(line) > width && line.length > 1) {
      const fits = fittingLength(line, width - textWidth('-'));
      lines.push(`${line.slice(0, fits)}-`);
      line = line.slice(fits);
    }
  }
  if (line !== '') lines.push(line);
  if (lines.length <= MAX_LINES) return lines;
  const kept = lines.slice(0, MAX_LINES);
  const last = `${kept[MAX_LINES - 1] ?? ''} ${lines[MAX_LINES] ?? ''}`;
  kept[MAX_LINES - 1] = `${last.slice(0, fittingLength(last, width - textWidth('…'))).trimEnd()}…`;
  return kept;
}

/** How many leading characters of `text` fit in `width` (at least one, so wrapping always advances). */
function fittingLength(text: string, width: number): number {
  let length = 1;
  while (length < text.length && textWidth(text.slice(0, length + 1)) <= width) length++;
  return length;
}

const ESCAPES: Record<string, string> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/**
 * All five XML special characters (`escapeHtml` of @kitajs/html leaves ">" alone), so the text is
 * safe in elements and attributes alike, inline in HTML or served as an SVG file.
 */
function escapeXml(text: string): string {
  return text.replace(/[&<>"']/g, (ch) => ESCAPES[ch] ?? ch);
}

/** Coordinates rounded to one decimal: shorter output, and the same output on every platform. */
function n(value: number): string {
  return String(Math.round(value * 10) / 10);
}

// ---------------------------------------------------------------------------------------------
// Layout

function fromStates(action: WorkflowAction): string[] {
  return typeof action.from === 'string' ? [action.from] : [...action.from];
}

/**
 * Main steps in display order: by the longest forward path from the start (edges that close a loop,
 * found by a depth-first search from the start, do not count), then by definition order.
 */
function spineOrder(steps: readonly WorkflowState[], actions: readonly WorkflowAction[], start: string) {
  const keys = new Set(steps.map((s) => s.key));
  const next = new Map<string, string[]>(steps.map((s) => [s.key, []]));
  for (const action of actions) {
    if (!keys.has(action.to)) continue;
    for (const from of fromStates(action)) next.get(from)?.push(action.to);
  }
  const finished: string[] = [];
  const status = new Map<string, 'open' | 'done'>();
  const forward: Array<[string, string]> = [];
  const visit = (root: string) => {
    const stack = [{ key: root, children: [...(next.get(root) ?? [])] }];
    status.set(root, 'open');
    for (let top = stack.at(-1); top !== undefined; top = stack.at(-1)) {
      const child = top.children.shift();
      if (child === undefined) {
        status.set(top.key, 'done');
        finished.push(top.key);
        stack.pop();
      } else if (status.get(child) !== 'open') {
        forward.push([top.key, child]);
        if (!status.has(child)) {
          status.set(child, 'open');
          stack.push({ key: child, children: [...(next.get(child) ?? [])] });
        }
      }
    }
  };
  for (const key of [start, ...keys]) if (keys.has(key) && !status.has(key)) visit(key);
  // Reverse finishing order is a topological order of the forward edges.
  const layer = new Map<string, number>();
  for (const key of finished.reverse()) {
    const depth = layer.get(key) ?? 0;
    for (const [from, to] of forward) {
      if (from === key) layer.set(to, Math.max(layer.get(to) ?? 0, depth + 1));
    }
  }
  const rank = (s: WorkflowState) => (s.key === start ? -1 : (layer.get(s.key) ?? 0));
  return steps
    .map((state, index) => ({ state, index }))
    .sort((a, b) => rank(a.state) - rank(b.state) || a.index - b.index)
    .map(({ state }) => state);
}

const OUTCOME_ORDER: Record<TerminalOutcome, number> = { approved: 0, rejected: 1, withdrawn: 2 };

/** Which column each state goes in, and in what order. */
function columns(workflow: Workflow): { spine: WorkflowState[]; side: WorkflowState[] } {
  const revision = new Set(workflow.actions.filter((a) => a.kind === 'return_for_revision').map((a) => a.to));
  revision.delete(workflow.startState);
  const isSide = (s: WorkflowState) =>
    s.terminal === 'rejected' ||
    s.terminal === 'withdrawn' ||
    (s.terminal === undefined && revision.has(s.key));
  const steps = workflow.states.filter((s) => s.terminal === undefined && !isSide(s));
  const side = workflow.states
    .map((state, index) => ({ state, index }))
    .filter(({ state }) => isSide(state))
    .sort((a, b) => outcomeRank(a.state) - outcomeRank(b.state) || a.index - b.index)
    .map(({ state }) => state);
  return {
    spine: [
      ...spineOrder(steps, workflow.actions, workflow.startState),
      ...workflow.states.filter((s) => s.terminal === 'approved'),
    ],
    side,
  };
}

function outcomeRank(state: WorkflowState): number {
  return state.terminal === undefined ? -1 : OUTCOME_ORDER[state.terminal];
}

function arrowsBetween(workflow: Workflow, boxes: ReadonlyMap<string, Box>): Arrow[] {
  const arrows: Arrow[] = [];
  for (const action of workflow.actions) {
    const to = boxes.get(action.to);
    if (to === undefined) continue;
    const edges = fromStates(action).flatMap((key) => {
      const from = boxes.get(key);
      return from === undefined ? [] : [{ from, to }];
    });
    if (edges.length === 0) continue;
    const touchesSide = edges.some((e) => e.from.column === 'side' || to.column === 'side');
    const isStraight = edges.every((e) => to.order === e.from.order + 1);
    const route: Route = touchesSide ? 'bus' : isStraight ? 'straight' : 'lane';
    arrows.push({ action, to, edges, route, x: 0, labelLines: [] });
  }
  return arrows;
}

interface Point {
  readonly x: number;
  readonly y: number;
}

/** A place on a box's side where a routed arrow leaves (its edge) or enters (the arrow). */
interface PortRequest {
  readonly owner: Edge | Arrow;
  /** The other end, so ports can be ordered to avoid crossing each other's lines. */
  readonly toward: () => number;
}

interface Ports {
  readonly requests: Map<Box, { left: PortRequest[]; right: PortRequest[] }>;
  readonly points: Map<Edge | Arrow, Point>;
}

function centreY(box: Box): number {
  return box.y + box.height / 2;
}

/** Routed arrows meet spine boxes on the side of their lane, and side boxes on the left. */
function requestPorts(arrows: readonly Arrow[]): Ports {
  const requests: Ports['requests'] = new Map();
  const add = (box: Box, arrow: Arrow, request: PortRequest) => {
    const sides = requests.get(box) ?? { left: [], right: [] };
    requests.set(box, sides);
    (arrow.route === 'bus' && box.column === 'spine' ? sides.right : sides.left).push(request);
  };
  for (const arrow of arrows) {
    if (arrow.route === 'straight') continue;
    for (const edge of arrow.edges) add(edge.from, arrow, { owner: edge, toward: () => centreY(arrow.to) });
    const sources = arrow.edges.map((e) => e.from);
    add(arrow.to, arrow, {
      owner: arrow,
      toward: () => sources.reduce((sum, box) => sum + centreY(box), 0) / sources.length,
    });
  }
  return { requests, points: new Map() };
}

function minimumHeight(ports: Ports, box: Box): number {
  const sides = ports.requests.get(box);
  const count = sides === undefined ? 0 : Math.max(sides.left.length, sides.right.length);
  return (count + 1) * PORT_SPACING;
}

/** Spreads the ports down each side, in the order of where their lines go, once boxes are placed. */
function placePorts(ports: Ports): void {
  for (const [box, sides] of ports.requests) {
    for (const [list, x] of [
      [sides.left, box.x],
      [sides.right, box.x + box.width],
    ] as const) {
      const ordered = list.map((r, i) => ({ r, i, y: r.toward() })).sort((a, b) => a.y - b.y || a.i - b.i);
      ordered.forEach(({ r }, i) => {
        ports.points.set(r.owner, { x, y: box.y + (box.height * (i + 1)) / (ordered.length + 1) });
      });
    }
  }
}

/** A stack of labels from `top` down; returns them and the height they take. */
function stack(blocks: readonly string[][], x: number, top: number): { labels: Label[]; height: number } {
  const labels: Label[] = [];
  let y = top;
  for (const lines of blocks) {
    labels.push({ lines, x, y });
    y += blockHeight(lines);
  }
  return { labels, height: y - top };
}

function linesOf(arrows: readonly Arrow[]): string[][] {
  return arrows.map((a) => a.labelLines);
}

function blockHeight(lines: readonly string[]): number {
  return lines.length * LINE_HEIGHT + 2;
}

interface Layout {
  readonly boxes: readonly Box[];
  readonly start: Box | undefined;
  readonly arrows: readonly Arrow[];
  readonly ports: Ports;
  readonly labels: readonly Label[];
  readonly mainLineX: number;
  readonly height: number;
}

function layout(workflow: Workflow, lang: Language): Layout {
  const { spine, side } = columns(workflow);
  const boxes = new Map<string, Box>();
  const place = (states: readonly WorkflowState[], column: Box['column']) =>
    states.forEach((state, order) => {
      boxes.set(state.key, { state, order, column, lines: [], x: 0, y: 0, width: 0, height: 0 });
    });
  place(spine, 'spine');
  place(side, 'side');
  const start = boxes.get(workflow.startState);
  const arrows = arrowsBetween(workflow, boxes);
  const ports = requestPorts(arrows);
  const caption = (box: Box) =>
    `${OUTCOME_STYLE[box.state.terminal ?? 'step'].symbol}${box.state.label[lang]}`;
  const labels: Label[] = [];

  // Columns, left to right: lanes for skips and loops, the spine, lanes to the side column, the side.
  const lanes = arrows.filter((a) => a.route === 'lane');
  const buses = arrows.filter((a) => a.route === 'bus').sort((a, b) => busRank(a) - busRank(b));
  const laneSpacing = spacing(lanes.length, MAX_LANES_WIDTH);
  const busSpacing = spacing(buses.length, MAX_BUSES_WIDTH);
  const spineX = MARGIN + (lanes.length > 0 ? lanes.length * laneSpacing + 4 : 0);
  const sideWidth = side.length > 0 ? SIDE_WIDTH : 0;
  const gap = buses.length > 0 ? buses.length * busSpacing + 10 : 0;
  const spineWidth = WIDTH - MARGIN - spineX - gap - sideWidth;
  const spineRight = spineX + spineWidth;
  // The main line runs left of the middle, leaving most of the width for the labels on its right,
  // unless labels of skips need room on its left too.
  const mainLineX = spineX + spineWidth * (lanes.length > 0 ? 0.5 : 0.4);
  const sideX = WIDTH - MARGIN - sideWidth;
  lanes.forEach((a, i) => {
    a.x = spineX - 6 - i * laneSpacing;
  });
  buses.forEach((a, i) => {
    a.x = spineRight + 7 + i * busSpacing;
  });
  const sizeBox = (box: Box, x: number, y: number, width: number) => {
    box.lines = wrapText(caption(box), width - 2 * BOX_PADDING_X);
    const height = Math.max(box.lines.length * LINE_HEIGHT + 2 * BOX_PADDING_Y, minimumHeight(ports, box));
    Object.assign(box, { x, y, width, height });
  };

  // Spine: above each step a band with the labels of the arrows entering it (straight ones on the
  // right of their line, lanes on the left), then the step.
  let y = MARGIN;
  for (const state of spine) {
    const box = boxes.get(state.key);
    if (box === undefined) continue;
    const straight = arrows.filter((a) => a.route === 'straight' && a.to === box);
    straight.forEach((a, i) => {
      a.x = mainLineX + (i - (straight.length - 1) / 2) * 10;
    });
    const labelsX = mainLineX + ((straight.length - 1) * 10) / 2 + LABEL_GAP;
    for (const a of straight) a.labelLines = wrapText(a.action.label[lang], spineRight - labelsX - 2);
    const isCrowded = straight.length > 0 || box === start;
    const laneLabelWidth = (isCrowded ? mainLineX - 6 : spineRight - 4) - (spineX + 4);
    const laneArrows = lanes.filter((a) => a.to === box);
    for (const a of laneArrows) a.labelLines = wrapText(a.action.label[lang], laneLabelWidth);
    const right = stack(linesOf(straight), labelsX, y + 4);
    const left = stack(linesOf(laneArrows), spineX + 4, y + 4);
    labels.push(...right.labels, ...left.labels);
    y += Math.max(box === start ? START_BAND : MIN_BAND, right.height + 8, left.height + 8);
    sizeBox(box, spineX, y, spineWidth);
    y += box.height;
  }
  const spineBottom = y;

  // Side column: each box under the labels of the actions leading to it; labels of actions from a
  // side box back to the spine go under that box. Outcomes line up with the bottom of the spine.
  const labelledAt = (a: Arrow) =>
    a.to.column === 'side' ? a.to : a.edges.find((e) => e.from.column === 'side')?.from;
  const blocks = side.flatMap((state) => {
    const box = boxes.get(state.key);
    if (box === undefined) return [];
    const above = buses.filter((a) => a.to === box);
    const below = buses.filter((a) => a.to !== box && labelledAt(a) === box);
    for (const a of [...above, ...below]) a.labelLines = wrapText(a.action.label[lang], sideWidth);
    sizeBox(box, sideX, 0, sideWidth);
    const aboveHeight = above.reduce((h, a) => h + blockHeight(a.labelLines), 4);
    const belowHeight = below.reduce((h, a) => h + blockHeight(a.labelLines), 0);
    return [{ box, above, below, aboveHeight, height: aboveHeight + box.height + belowHeight + 10 }];
  });
  const outcomesHeight = blocks
    .filter((b) => b.box.state.terminal !== undefined)
    .reduce((h, b) => h + b.height, 0);
  let sideY = MARGIN;
  for (const block of blocks) {
    const { box } = block;
    const wantedTop =
      box.state.terminal === undefined ? revisionTop(box, arrows) : spineBottom - outcomesHeight + 10;
    sideY = Math.max(sideY, wantedTop - block.aboveHeight);
    labels.push(...stack(linesOf(block.above), sideX, sideY).labels);
    box.y = sideY + block.aboveHeight;
    labels.push(...stack(linesOf(block.below), sideX, box.y + box.height + 4).labels);
    sideY += block.height;
  }

  placePorts(ports);
  return {
    boxes: [...boxes.values()],
    start,
    arrows,
    ports,
    labels,
    mainLineX,
    height: Math.ceil(Math.max(spineBottom, sideY) + MARGIN),
  };
}

/** Lanes get closer together when there are many, so the boxes keep a readable width. */
function spacing(count: number, maxWidth: number): number {
  return count === 0 ? 0 : Math.min(LANE_SPACING, maxWidth / count);
}

/** Lanes back into the spine go nearest to it, so their last stretch crosses no other lane. */
function busRank(a: Arrow): number {
  return a.to.column === 'spine' ? a.to.order - 1000 : a.to.order;
}

/** A revision step sits level with the main step it sends the application back to. */
function revisionTop(box: Box, arrows: readonly Arrow[]): number {
  const back = arrows.find((a) => a.to.column === 'spine' && a.edges.some((e) => e.from === box));
  return back?.to.y ?? MARGIN;
}

// ---------------------------------------------------------------------------------------------
// Drawing

/** The lines of every arrow (as path data) and the dots where several sources join one lane. */
function arrowPaths({ arrows, ports }: Layout): { paths: string[]; dots: string[] } {
  const paths: string[] = [];
  const dots: string[] = [];
  for (const a of arrows) {
    if (a.route === 'straight') {
      for (const e of a.edges) paths.push(`M${n(a.x)} ${n(e.from.y + e.from.height)}V${n(a.to.y - 1)}`);
      continue;
    }
    const target = ports.points.get(a);
    const sources = a.edges.flatMap((e) => ports.points.get(e) ?? []);
    if (target === undefined) continue;
    const ys = sources.map((p) => p.y);
    const top = Math.min(...ys, target.y);
    const bottom = Math.max(...ys, target.y);
    let d = sources.map((p) => `M${n(p.x)} ${n(p.y)}H${n(a.x)}`).join('');
    d += `M${n(a.x)} ${n(top)}V${n(bottom)}`;
    // The arrowhead is drawn at the end of the last segment, which must therefore enter the box.
    d += `M${n(a.x)} ${n(target.y)}H${n(target.x + (target.x > a.x ? -1 : 1))}`;
    paths.push(d);
    for (const y of ys) if (y > top && y < bottom) dots.push(`<circle cx="${n(a.x)}" cy="${n(y)}" r="2"/>`);
  }
  return { paths, dots };
}

/**
 * An accessible SVG of `workflow` with its labels in `lang`. The output depends only on the
 * arguments, so it can be cached with the definition version.
 */
export function procedureDiagramSvg(
  workflow: Workflow,
  lang: Language,
  options: DiagramOptions = {},
): string {
  const drawing = layout(workflow, lang);
  const { paths, dots } = arrowPaths(drawing);
  const { start, mainLineX } = drawing;
  const labels = [...drawing.labels];
  if (start !== undefined && start.column === 'spine') {
    const cy = start.y - START_BAND + 6;
    dots.push(`<circle cx="${n(mainLineX)}" cy="${n(cy)}" r="4"/>`);
    paths.push(`M${n(mainLineX)} ${n(cy + 4)}V${n(start.y - 1)}`);
    labels.push({ lines: [WORDS.start[lang]], x: mainLineX + 8, y: cy - 6 });
  }

  const id = (suffix: string) => escapeXml(`${options.idPrefix ?? 'procedure'}-${suffix}`);
  const out: string[] = [
    `<svg xmlns="http://www.w3.org/2000/svg" viewBox="0 0 ${WIDTH} ${drawing.height}" width="100%"`,
    ` role="img" aria-labelledby="${id('title')}" aria-describedby="${id('desc')}" class="g-procedure"`,
    ` font-family="system-ui,sans-serif" font-size="${FONT_SIZE}">`,
    `<title id="${id('title')}">${escapeXml(options.title ?? WORDS.title[lang])}</title>`,
    `<desc id="${id('desc')}">${escapeXml(describe(workflow, drawing.boxes, lang))}</desc>`,
    `<defs><marker id="${id('arrow')}" viewBox="0 0 8 8" refX="7" refY="4" markerWidth="7"`,
    ` markerHeight="7" orient="auto"><path d="M0 0L8 4L0 8z" fill="${LINE_COLOUR}"/></marker></defs>`,
    `<g fill="none" stroke="${LINE_COLOUR}" stroke-width="1.2" marker-end="url(#${id('arrow')})">`,
    ...paths.map((d) => `<path d="${d}"/>`),
    `</g><g fill="${LINE_COLOUR}">${dots.join('')}</g>`,
  ];
  for (const box of drawing.boxes) {
    const style = OUTCOME_STYLE[box.state.terminal ?? 'step'];
    out.push(
      `<rect x="${n(box.x)}" y="${n(box.y)}" width="${n(box.width)}" height="${n(box.height)}" rx="6"`,
      ` fill="${style.fill}" stroke="${style.stroke}" stroke-width="${box === start ? 2.5 : 1.2}"/>`,
    );
  }
  out.push(`<g fill="${TEXT_COLOUR}" text-anchor="middle">`);
  for (const box of drawing.boxes) {
    const top = box.y + (box.height - box.lines.length * LINE_HEIGHT) / 2;
    out.push(textLines(box.lines, box.x + box.width / 2, top));
  }
  out.push(`</g><g fill="${LABEL_COLOUR}">`);
  for (const label of labels) out.push(textLines(label.lines, label.x, label.y));
  out.push('</g></svg>');
  return out.join('');
}

function textLines(lines: readonly string[], x: number, top: number): string {
  const spans = lines
    .map((line, i) => `<tspan x="${n(x)}"${i === 0 ? '' : ` dy="${LINE_HEIGHT}"`}>${escapeXml(line)}</tspan>`)
    .join('');
  return `<text y="${n(top + FONT_SIZE - 1)}">${spans}</text>`;
}

/** The procedure as text, one step a line in display order: what can happen next, or how it ends. */
function describe(workflow: Workflow, boxes: readonly Box[], lang: Language): string {
  const labelOf = new Map(workflow.states.map((s) => [s.key, s.label[lang]]));
  return boxes
    .map(({ state }, i) => {
      const isStart = state.key === workflow.startState;
      const name = `${i + 1}. ${state.label[lang]}${isStart ? ` (${WORDS.startsAt[lang]})` : ''}`;
      if (state.terminal !== undefined) return `${name}: ${WORDS.outcome[state.terminal][lang]}.`;
      const next = workflow.actions
        .filter((a) => fromStates(a).includes(state.key))
        .map((a) => `${a.label[lang]} → ${labelOf.get(a.to) ?? a.to}`);
      return next.length > 0 ? `${name}: ${next.join('; ')}.` : `${name}.`;
    })
    .join('\n');
}
