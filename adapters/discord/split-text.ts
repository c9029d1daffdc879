/** Discord's limit on a message's content. */
export const MESSAGE_LIMIT = 2000;

// Room kept in every chunk for a code fence closed at its end and reopened at the next one's start.
const FENCE_ROOM = 32;
const MAX_FENCE_OPENER = 24;

function isHighSurrogate(code: number): boolean {
  return code >= 0xd800 && code <= 0xdbff;
}

/** Cuts a line into pieces of at most `size` code units, never between the two halves of a surrogate pair. */
function hardSplit(line: string, size: number): string[] {
  const pieces: string[] = [];
  let start = 0;
  while (line.length - start > size) {
    let end = start + size;
    if (isHighSurrogate(line.charCodeAt(end - 1))) end--;
    pieces.push(line.slice(start, end));
    start = end;
  }
  pieces.push(line.slice(start));
  return pieces;
}

function isFence(line: string): boolean {
  return line.trimStart().startsWith('```');
}

/** The line that reopens a code block in the next chunk: the original opener (keeping its language) when short. */
function reopener(opener: string): string {
  const trimmed = opener.trimStart();
  return trimmed.length <= MAX_FENCE_OPENER ? trimmed : '```';
}

/**
 * Splits text into chunks of at most `limit` characters on line boundaries. A line longer than a chunk is cut
 * hard (nothing is dropped). A code block cut by a chunk boundary is closed at the end of the chunk and reopened
 * at the start of the next, so every chunk renders on its own.
 */
export function splitText(text: string, limit = MESSAGE_LIMIT): string[] {
  if (!Number.isInteger(limit) || limit < 2 * FENCE_ROOM) throw new RangeError(`a chunk limit must be a whole number of at least ${2 * FENCE_ROOM} (got ${limit})`);
  if (text.length <= limit) return [text];
  const chunks: string[] = [];
  let current: string | undefined;
  let openFence: string | undefined;
  const flush = (): void => {
    if (current === undefined) return;
    chunks.push(openFence === undefined ? current : `${current}\n\`\`\``);
    current = openFence === undefined ? undefined : reopener(openFence);
  };
  for (const line of text.split('\n')) {
    // Only a line in (or opening) a code block gives up room for the fence repair; any other line up to the limit stays whole.
    const size = openFence === undefined && !isFence(line) ? limit : limit - FENCE_ROOM;
    for (const piece of hardSplit(line, size)) {
      const fenceAfter = isFence(piece) ? (openFence === undefined ? piece : undefined) : openFence;
      const candidate = current === undefined ? piece : `${current}\n${piece}`;
      // Every chunk keeps room to close the code block it ends in.
      if (candidate.length + (fenceAfter === undefined ? 0 : 4) <= limit) {
        current = candidate;
      } else if (openFence !== undefined && fenceAfter === undefined) {
        flush();
        current = undefined;
      } else {
        flush();
        current = current === undefined ? piece : `${current}\n${piece}`;
      }
      openFence = fenceAfter;
    }
  }
  if (current !== undefined) chunks.push(current);
  return chunks;
}
