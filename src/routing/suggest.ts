/**
 * Damerau-Levenshtein distance (optimal string alignment: insertions, deletions, substitutions and
 * transpositions of adjacent characters, each costing 1), counted in code points.
 * With `max`, stops as soon as the distance must exceed it and returns `max + 1`.
 */
export function editDistance(a: string, b: string, max = Number.POSITIVE_INFINITY): number {
  if (Number.isNaN(max) || max < 0) throw new RangeError(`max must be a non-negative number (got ${max})`);
  if (a === b) return 0;
  return pointsDistance(codePoints(a), codePoints(b), max);
}

function pointsDistance(x: number[], y: number[], max: number): number {
  const over = max + 1;
  if (Math.abs(x.length - y.length) > max) return over;
  if (x.length === 0 || y.length === 0) return Math.max(x.length, y.length);
  return alignedDistance(x, y, max, over);
}

// Reused between calls: the computation is synchronous, so no two calls ever share them at once.
let rows: [Int32Array, Int32Array, Int32Array] = [new Int32Array(64), new Int32Array(64), new Int32Array(64)];

/** The dynamic programme over three rows (two back, for transpositions), abandoned when a whole row exceeds `max`. */
function alignedDistance(x: ArrayLike<number>, y: ArrayLike<number>, max: number, over: number): number {
  const width = y.length + 1;
  if (rows[0].length < width) rows = [new Int32Array(width * 2), new Int32Array(width * 2), new Int32Array(width * 2)];
  let [twoBack, previous, current] = rows;
  for (let j = 0; j < width; j++) previous[j] = j;
  for (let i = 1; i <= x.length; i++) {
    current[0] = i;
    let rowMin = i;
    const xi = x[i - 1] as number;
    const xBefore = i > 1 ? (x[i - 2] as number) : -1;
    for (let j = 1; j < width; j++) {
      const yj = y[j - 1] as number;
      let best = (previous[j - 1] as number) + (xi === yj ? 0 : 1);
      const del = (previous[j] as number) + 1;
      const ins = (current[j - 1] as number) + 1;
      if (del < best) best = del;
      if (ins < best) best = ins;
      if (j > 1 && xBefore === yj && xi === y[j - 2]) {
        const swap = (twoBack[j - 2] as number) + 1;
        if (swap < best) best = swap;
      }
      current[j] = best;
      if (best < rowMin) rowMin = best;
    }
    if (rowMin > max) return over;
    const spare = twoBack;
    twoBack = previous;
    previous = current;
    current = spare;
  }
  const distance = previous[y.length] as number;
  return distance > max ? over : distance;
}

function codePoints(text: string): number[] {
  const points: number[] = [];
  for (let i = 0; i < text.length; i++) {
    const point = text.codePointAt(i) as number;
    points.push(point);
    if (point > 0xffff) i++;
  }
  return points;
}

/**
 * The candidates closest to a mistyped name, case-insensitive: those within max(2, floor(length/3)) edits,
 * and those the name is a prefix of (`dep` -> `deploy`), which rank as one edit away because completing
 * a word is the likeliest intent. Closest first, then fewest edits, then by name. A candidate with nothing
 * in common (every character replaced) is never suggested.
 */
export function suggest(name: string, candidates: Iterable<string>, limit = 3): string[] {
  const query = name.trim().toLowerCase();
  if (query.length === 0 || limit <= 0) return [];
  const queryPoints = codePoints(query);
  const threshold = Math.max(2, Math.floor(queryPoints.length / 3));
  const found: Match[] = [];
  for (const candidate of new Set(candidates)) {
    const match = matchOf(query, queryPoints, threshold, candidate);
    if (match !== undefined) found.push(match);
  }
  found.sort(byCloseness);
  return found.slice(0, limit).map((f) => f.candidate);
}

interface Match {
  candidate: string;
  rank: number;
  distance: number;
}

function matchOf(query: string, queryPoints: number[], threshold: number, candidate: string): Match | undefined {
  const lower = candidate.toLowerCase();
  const points = codePoints(lower);
  if (lower.startsWith(query)) {
    const distance = points.length - queryPoints.length;
    return { candidate, rank: Math.min(distance, 1), distance };
  }
  const distance = pointsDistance(queryPoints, points, threshold);
  if (distance > threshold || distance >= Math.max(queryPoints.length, points.length)) return undefined;
  return { candidate, rank: distance, distance };
}

function byCloseness(p: Match, q: Match): number {
  return p.rank - q.rank || p.distance - q.distance || (p.candidate < q.candidate ? -1 : p.candidate > q.candidate ? 1 : 0);
}
