/**
 * The chat markdown opsroom and its plugins write, parsed into a tree the page renders as elements (never as HTML,
 * so nothing a plugin writes can become markup): fenced code blocks, bullet and numbered lists, quotes, paragraphs
 * with line breaks, and inline code, bold, italics, strike-through and http(s) links.
 */

export type Inline =
  | { kind: 'text'; text: string }
  | { kind: 'code'; text: string }
  | { kind: 'strong' | 'em' | 'del'; children: Inline[] }
  | { kind: 'link'; href: string; children: Inline[] }
  | { kind: 'br' };

export type Block =
  | { kind: 'code'; lang: string; text: string }
  | { kind: 'paragraph'; inlines: Inline[] }
  | { kind: 'list'; ordered: boolean; items: Inline[][] }
  | { kind: 'quote'; inlines: Inline[] };

const FENCE = /^\s*```\s*([\w+-]*)\s*$/;
const BULLET = /^\s*[-*•]\s+(.*)$/;
const NUMBERED = /^\s*\d{1,3}[.)]\s+(.*)$/;
const QUOTE = /^\s*>\s?(.*)$/;

export function parseMarkdown(source: string): Block[] {
  const lines = source.replace(/\r\n?/g, '\n').split('\n');
  const blocks: Block[] = [];
  let i = 0;
  while (i < lines.length) {
    const line = lines[i] as string;
    const fence = FENCE.exec(line);
    if (fence) {
      const end = lines.findIndex((l, at) => at > i && /^\s*```\s*$/.test(l));
      const stop = end < 0 ? lines.length : end;
      blocks.push({ kind: 'code', lang: fence[1] ?? '', text: lines.slice(i + 1, stop).join('\n') });
      i = stop + 1;
      continue;
    }
    if (line.trim() === '') {
      i++;
      continue;
    }
    i = takeRun(lines, i, blocks);
  }
  return blocks;
}

/** One list, quote or paragraph starting at `start`; returns the index after it. */
function takeRun(lines: string[], start: number, blocks: Block[]): number {
  const first = lines[start] as string;
  for (const [pattern, ordered] of [[BULLET, false], [NUMBERED, true]] as const) {
    if (!pattern.test(first)) continue;
    const items: Inline[][] = [];
    let i = start;
    while (i < lines.length && pattern.test(lines[i] as string)) items.push(parseInline((pattern.exec(lines[i++] as string) as RegExpExecArray)[1] ?? ''));
    blocks.push({ kind: 'list', ordered, items });
    return i;
  }
  const quoted = QUOTE.test(first);
  const run: string[] = [];
  let i = start;
  while (i < lines.length) {
    const line = lines[i] as string;
    if (line.trim() === '' || FENCE.test(line) || QUOTE.test(line) !== quoted) break;
    if (!quoted && run.length > 0 && (BULLET.test(line) || NUMBERED.test(line))) break;
    run.push(quoted ? ((QUOTE.exec(line) as RegExpExecArray)[1] ?? '') : line);
    i++;
  }
  const inlines = parseInline(run.join('\n'));
  blocks.push(quoted ? { kind: 'quote', inlines } : { kind: 'paragraph', inlines });
  return i;
}

const LINK = /^\[([^\]\n]{1,500})\]\((https?:\/\/[^\s)]{1,2000})\)/;
const AUTOLINK = /^https?:\/\/[^\s<>()"'`]*[^\s<>()"'`.,;:!?]/;
const PAIRS: Array<{ open: string; kind: 'strong' | 'del' | 'em' }> = [
  { open: '**', kind: 'strong' }, { open: '__', kind: 'strong' }, { open: '~~', kind: 'del' }, { open: '*', kind: 'em' }, { open: '_', kind: 'em' },
];

export function parseInline(text: string): Inline[] {
  const out: Inline[] = [];
  let plain = '';
  const flush = (): void => {
    if (plain) out.push({ kind: 'text', text: plain });
    plain = '';
  };
  let i = 0;
  while (i < text.length) {
    const taken = takeInline(text, i);
    if (taken) {
      flush();
      out.push(taken.node);
      i = taken.end;
      continue;
    }
    plain += text[i];
    i++;
  }
  flush();
  return out;
}

function takeInline(text: string, i: number): { node: Inline; end: number } | undefined {
  const rest = text.slice(i);
  const c = text[i];
  if (c === '\n') return { node: { kind: 'br' }, end: i + 1 };
  if (c === '`') {
    const close = text.indexOf('`', i + 1);
    if (close > i + 1) return { node: { kind: 'code', text: text.slice(i + 1, close) }, end: close + 1 };
    return undefined;
  }
  if (c === '[') {
    const link = LINK.exec(rest);
    if (link) return { node: { kind: 'link', href: link[2] as string, children: parseInline(link[1] as string) }, end: i + link[0].length };
  }
  if (c === 'h' && !/[\w/]/.test(text[i - 1] ?? ' ')) {
    const auto = AUTOLINK.exec(rest);
    if (auto) return { node: { kind: 'link', href: auto[0], children: [{ kind: 'text', text: auto[0] }] }, end: i + auto[0].length };
  }
  for (const { open, kind } of PAIRS) {
    if (!rest.startsWith(open)) continue;
    const end = closingOf(text, i, open);
    if (end !== undefined) return { node: { kind, children: parseInline(text.slice(i + open.length, end)) }, end: end + open.length };
  }
  return undefined;
}

/**
 * Where an emphasis opened at `i` closes on the same line, or undefined. Underscores count only at word edges, so
 * snake_case names stay as they are; the marker must hug the text on both sides (`* not this *`).
 */
function closingOf(text: string, i: number, open: string): number | undefined {
  const inner = i + open.length;
  if (/\s/.test(text[inner] ?? ' ')) return undefined;
  if (open.startsWith('_') && /\w/.test(text[i - 1] ?? ' ')) return undefined;
  let at = text.indexOf(open, inner + 1);
  while (at > 0) {
    const newline = text.indexOf('\n', inner);
    if (newline >= 0 && newline < at) return undefined;
    const hugs = !/\s/.test(text[at - 1] ?? ' ');
    const edge = !open.startsWith('_') || !/\w/.test(text[at + open.length] ?? ' ');
    const single = open.length > 1 || text[at + 1] !== open;
    if (hugs && edge && single) return at;
    at = text.indexOf(open, at + 1);
  }
  return undefined;
}

/** How many lines a message shows before it is collapsed behind "show all". */
export const COLLAPSE_LINES = 14;
export const COLLAPSE_CHARS = 1800;

/** True when a message is long enough to start collapsed. */
export function isLong(text: string): boolean {
  return text.length > COLLAPSE_CHARS || text.split('\n').length > COLLAPSE_LINES;
}
