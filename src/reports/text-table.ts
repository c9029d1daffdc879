const BARS = ['▁', '▂', '▃', '▄', '▅', '▆', '▇', '█'];

/** A series as one line of block characters, scaled to its largest value; a zero is the lowest bar. */
export function sparkline(values: readonly number[]): string {
  const max = Math.max(0, ...values);
  return values.map((v) => (max === 0 ? BARS[0] : BARS[Math.min(BARS.length - 1, Math.round((v / max) * (BARS.length - 1)))])).join('');
}

/** A table in a code block, columns padded, cells of `right` columns aligned right; backticks in cells are neutralised. */
export function textTable(header: readonly string[], rows: ReadonlyArray<readonly string[]>, right: ReadonlySet<number> = new Set()): string {
  const all = [header, ...rows].map((row) => row.map((cell) => cell.replace(/`/g, 'ˋ')));
  const widths = header.map((_, i) => Math.max(...all.map((row) => [...(row[i] ?? '')].length)));
  const line = (row: readonly string[]): string => row
    .map((cell, i) => (right.has(i) ? cell.padStart(widths[i] ?? 0) : cell.padEnd(widths[i] ?? 0)))
    .join('  ')
    .trimEnd();
  const rule = widths.map((w) => '─'.repeat(w)).join('  ');
  return ['```', ...all.slice(0, 1).map(line), rule, ...all.slice(1).map(line), '```'].join('\n');
}
