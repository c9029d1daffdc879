const FENCE = /^\s*(```|~~~)/;
/** Room kept in every chunk for closing a code fence and reopening it in the next one. */
const FENCE_ROOM = 48;

function bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts one over-long line at code point boundaries into pieces of at most `max` bytes. */
function splitLine(line: string, max: number): string[] {
  const pieces: string[] = [];
  let piece = '';
  let size = 0;
  for (const char of line) {
    const length = bytes(char);
    if (size + length > max && piece.length > 0) {
      pieces.push(piece);
      piece = '';
      size = 0;
    }
    piece += char;
    size += length;
  }
  if (piece.length > 0) pieces.push(piece);
  return pieces;
}

/** The fence to reopen a code block with in the next chunk: the opening line, if short, else the bare marker. */
function reopening(line: string): string {
  const trimmed = line.trim();
  return bytes(trimmed) <= FENCE_ROOM / 2 - 2 ? trimmed : (FENCE.exec(line)?.[1] ?? '```');
}

/**
 * Splits markdown into chunks of at most `maxBytes` (UTF-8), on line boundaries where possible. A code block
 * cut in two is closed at the end of one chunk and reopened in the next, so each chunk renders on its own.
 * Nothing is dropped: joining the chunks gives the text back, plus those fence lines.
 */
export function splitText(text: string, maxBytes: number): string[] {
  if (maxBytes <= FENCE_ROOM * 2) throw new RangeError(`maxBytes must exceed ${FENCE_ROOM * 2}`);
  if (bytes(text) <= maxBytes) return [text];
  const chunks: string[] = [];
  let lines: string[] = [];
  let size = 0;
  let open: string | undefined;
  const flush = (): void => {
    if (lines.length === 0) return;
    chunks.push(open ? `${lines.join('\n')}\n${FENCE.exec(open)?.[1] ?? '```'}` : lines.join('\n'));
    lines = open ? [open] : [];
    size = open ? bytes(open) : 0;
  };
  for (const line of text.split('\n')) {
    for (const piece of splitLine(line, maxBytes - FENCE_ROOM * 2)) {
      const added = bytes(piece) + (lines.length > 0 ? 1 : 0);
      if (size + added + FENCE_ROOM > maxBytes) flush();
      size += bytes(piece) + (lines.length > 0 ? 1 : 0);
      lines.push(piece);
    }
    if (FENCE.test(line)) open = open ? undefined : reopening(line);
  }
  if (lines.length > 0 && !(open && lines.length === 1 && lines[0] === open)) {
    chunks.push(lines.join('\n'));
  }
  return chunks;
}
