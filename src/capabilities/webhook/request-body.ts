import type { IncomingMessage } from 'node:http';

export type BodyResult = { kind: 'ok'; body: Buffer } | { kind: 'too-large'; bytes: number };

/**
 * Reads a request body of at most `cap` bytes. Past the cap nothing more is kept, but the rest is read and dropped
 * (up to `drainLimit`, past which the socket is destroyed) so the sender still receives the 413 instead of a reset.
 */
export async function readRequestBody(req: IncomingMessage, cap: number, drainLimit = cap * 16): Promise<BodyResult> {
  const declared = Number(req.headers['content-length']);
  // Announced far too large: answer at once without reading; the server closes the connection after the answer.
  if (Number.isFinite(declared) && declared > drainLimit) return { kind: 'too-large', bytes: declared };
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of req) {
    const bytes = chunk as Buffer;
    total += bytes.length;
    if (total > drainLimit) {
      req.destroy();
      return { kind: 'too-large', bytes: total };
    }
    if (total <= cap) chunks.push(bytes);
  }
  return total > cap ? { kind: 'too-large', bytes: total } : { kind: 'ok', body: Buffer.concat(chunks, total) };
}
