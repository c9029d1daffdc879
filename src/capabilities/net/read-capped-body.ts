/**
 * Reads a response stream into one buffer, stopping (and destroying the stream,
 * so the socket closes) as soon as it passes `cap` bytes. A compressed body is
 * counted after decompression, so a small gzip bomb is stopped too.
 */
export async function readCappedBody(body: NodeJS.ReadableStream | null, cap: number, exceeded: () => Error): Promise<Buffer> {
  if (body === null) return Buffer.alloc(0);
  const chunks: Buffer[] = [];
  let total = 0;
  for await (const chunk of body) {
    const bytes = typeof chunk === 'string' ? Buffer.from(chunk) : chunk;
    total += bytes.length;
    if (total > cap) {
      destroy(body);
      throw exceeded();
    }
    chunks.push(bytes);
  }
  return Buffer.concat(chunks, total);
}

function destroy(stream: NodeJS.ReadableStream): void {
  const destroyable = stream as NodeJS.ReadableStream & { destroy?: () => void };
  destroyable.destroy?.();
}
