import { encodePng } from './encode-png.js';

type Point = readonly [number, number];
type Segment = readonly [Point, Point];

/** A terminal prompt, `>_`, in unit coordinates: the chevron and the cursor. */
const PROMPT: readonly Segment[] = [
  [[0.27, 0.3], [0.47, 0.5]],
  [[0.47, 0.5], [0.27, 0.7]],
  [[0.54, 0.7], [0.74, 0.7]],
];

function distanceToSegment(x: number, y: number, [[ax, ay], [bx, by]]: Segment): number {
  const dx = bx - ax;
  const dy = by - ay;
  const t = Math.max(0, Math.min(1, ((x - ax) * dx + (y - ay) * dy) / (dx * dx + dy * dy)));
  return Math.hypot(x - (ax + t * dx), y - (ay + t * dy));
}

function onPrompt(x: number, y: number, size: number, halfWidth: number): boolean {
  const u = (x + 0.5) / size;
  const v = (y + 0.5) / size;
  return PROMPT.some((segment) => distanceToSegment(u, v, segment) <= halfWidth);
}

function hexToRgb(hex: string): [number, number, number] {
  const value = Number.parseInt(hex.replace('#', ''), 16);
  return [(value >> 16) & 255, (value >> 8) & 255, value & 255];
}

/** The 192x192 colour icon: a white prompt on the accent colour. */
export function colorIcon(accentColor: string): Buffer {
  const size = 192;
  const [r, g, b] = hexToRgb(accentColor);
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      const white = onPrompt(x, y, size, 0.045);
      rgba.set(white ? [255, 255, 255, 255] : [r, g, b, 255], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}

/** The 32x32 outline icon: white on transparent only, as Teams requires. */
export function outlineIcon(): Buffer {
  const size = 32;
  const rgba = new Uint8Array(size * size * 4);
  for (let y = 0; y < size; y++) {
    for (let x = 0; x < size; x++) {
      if (onPrompt(x, y, size, 0.06)) rgba.set([255, 255, 255, 255], (y * size + x) * 4);
    }
  }
  return encodePng(size, size, rgba);
}
