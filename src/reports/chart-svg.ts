import type { DailyCount } from './report-math.js';

/** The font the renderer ships with, so charts look the same on every host. */
export const CHART_FONT = 'DejaVu Sans';
export const COLORS = { ok: '#2da44e', failed: '#cf222e', denied: '#bf8700', neutral: '#0969da', grid: '#d0d7de', text: '#1f2328', muted: '#59636e' };

export interface Series {
  label: string;
  color: string;
}

export interface ColumnChart {
  title: string;
  subtitle: string;
  /** One stacked column per period: `ok` below, `failed` on top. */
  buckets: readonly DailyCount[];
  ok: Series;
  failed: Series;
}

export interface BarRow {
  label: string;
  /** Stacked left to right, in the order of `series`. */
  values: readonly number[];
}

export interface BarChart {
  title: string;
  subtitle: string;
  rows: readonly BarRow[];
  series: readonly Series[];
}

const WIDTH = 800;

export function escapeXml(text: string): string {
  return text.replace(/[<>&"']/g, (c) => ({ '<': '&lt;', '>': '&gt;', '&': '&amp;', '"': '&quot;', "'": '&apos;' })[c] as string);
}

/** A round step for an axis up to `max`, so that it has at most five ticks: 1, 2 or 5 times a power of ten. */
export function tickStep(max: number): number {
  if (max <= 5) return 1;
  const raw = max / 5;
  const power = 10 ** Math.floor(Math.log10(raw));
  return [1, 2, 5, 10].map((m) => m * power).find((step) => step >= raw) ?? 10 * power;
}

function text(x: number, y: number, content: string, attrs = ''): string {
  return `<text x="${x}" y="${y}" ${attrs}>${escapeXml(content)}</text>`;
}

function frame(height: number, title: string, subtitle: string, body: string[]): string {
  return [
    `<svg xmlns="http://www.w3.org/2000/svg" width="${WIDTH}" height="${height}" viewBox="0 0 ${WIDTH} ${height}" font-family="${CHART_FONT}">`,
    `<rect width="${WIDTH}" height="${height}" fill="#ffffff"/>`,
    text(24, 34, title, `font-size="20" font-weight="bold" fill="${COLORS.text}"`),
    text(24, 56, subtitle, `font-size="13" fill="${COLORS.muted}"`),
    ...body,
    '</svg>',
  ].join('\n');
}

function legend(series: readonly Series[], y: number): string[] {
  let x = WIDTH - 24;
  const parts: string[] = [];
  for (const s of [...series].reverse()) {
    const width = 22 + s.label.length * 7.5;
    x -= width;
    parts.push(`<rect x="${x}" y="${y - 10}" width="12" height="12" rx="2" fill="${s.color}"/>`, text(x + 17, y, s.label, `font-size="12" fill="${COLORS.text}"`));
    x -= 12;
  }
  return parts;
}

/** Stacked columns over time, with a y axis of round ticks and dated x labels. */
export function columnChartSvg(chart: ColumnChart): string {
  const height = 400;
  const plot = { left: 56, right: WIDTH - 24, top: 80, bottom: height - 48 };
  const totals = chart.buckets.map((b) => b.ok + b.failed);
  const step = tickStep(Math.max(1, ...totals));
  const top = Math.max(step, Math.ceil(Math.max(1, ...totals) / step) * step);
  const y = (v: number): number => plot.bottom - (v / top) * (plot.bottom - plot.top);
  const body: string[] = [...legend([chart.ok, chart.failed], 56)];
  for (let v = 0; v <= top; v += step) {
    body.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${y(v)}" y2="${y(v)}" stroke="${COLORS.grid}" stroke-width="1"/>`);
    body.push(text(plot.left - 8, y(v) + 4, String(v), `font-size="11" text-anchor="end" fill="${COLORS.muted}"`));
  }
  const slot = (plot.right - plot.left) / Math.max(1, chart.buckets.length);
  const barWidth = Math.max(1, slot * 0.7);
  const labelEvery = Math.max(1, Math.ceil(chart.buckets.length / 10));
  chart.buckets.forEach((bucket, i) => {
    const x = plot.left + i * slot + (slot - barWidth) / 2;
    if (bucket.ok > 0) body.push(`<rect x="${x}" y="${y(bucket.ok)}" width="${barWidth}" height="${y(0) - y(bucket.ok)}" fill="${chart.ok.color}"/>`);
    if (bucket.failed > 0) {
      body.push(`<rect x="${x}" y="${y(bucket.ok + bucket.failed)}" width="${barWidth}" height="${y(bucket.ok) - y(bucket.ok + bucket.failed)}" fill="${chart.failed.color}"/>`);
    }
    if (i % labelEvery === 0) body.push(text(x + barWidth / 2, plot.bottom + 18, bucket.day.slice(5), `font-size="11" text-anchor="middle" fill="${COLORS.muted}"`));
  });
  body.push(`<line x1="${plot.left}" x2="${plot.right}" y1="${plot.bottom}" y2="${plot.bottom}" stroke="${COLORS.muted}" stroke-width="1"/>`);
  return frame(height, chart.title, chart.subtitle, body);
}

/** Horizontal stacked bars, one row per category, the total written after each bar. */
export function barChartSvg(chart: BarChart): string {
  const rowHeight = 28;
  const plot = { left: 200, right: WIDTH - 64, top: 84 };
  const height = plot.top + Math.max(1, chart.rows.length) * rowHeight + 24;
  const max = Math.max(1, ...chart.rows.map((r) => r.values.reduce((a, b) => a + b, 0)));
  const scale = (plot.right - plot.left) / max;
  const body: string[] = [...legend(chart.series, 56)];
  chart.rows.forEach((row, i) => {
    const y = plot.top + i * rowHeight;
    const label = row.label.length > 26 ? `${row.label.slice(0, 25)}…` : row.label;
    body.push(text(plot.left - 10, y + 17, label, `font-size="13" text-anchor="end" fill="${COLORS.text}"`));
    let x = plot.left;
    row.values.forEach((value, s) => {
      if (value <= 0) return;
      body.push(`<rect x="${x}" y="${y + 4}" width="${value * scale}" height="${rowHeight - 8}" fill="${chart.series[s]?.color ?? COLORS.neutral}"/>`);
      x += value * scale;
    });
    body.push(text(x + 6, y + 17, String(row.values.reduce((a, b) => a + b, 0)), `font-size="12" fill="${COLORS.muted}"`));
  });
  if (chart.rows.length === 0) body.push(text(plot.left, plot.top + 17, 'nothing to show in this period', `font-size="13" fill="${COLORS.muted}"`));
  return frame(height, chart.title, chart.subtitle, body);
}
