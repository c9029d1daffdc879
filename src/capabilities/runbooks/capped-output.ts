/** Collects a stream's bytes up to a cap; the rest is read and dropped so the writer never blocks. */
export class CappedOutput {
  readonly #chunks: Buffer[] = [];
  #kept = 0;
  #truncated = false;

  constructor(private readonly maxBytes: number) {}

  get truncated(): boolean {
    return this.#truncated;
  }

  push(chunk: Buffer): void {
    const room = this.maxBytes - this.#kept;
    if (chunk.length > room) this.#truncated = true;
    if (room <= 0) return;
    const kept = chunk.length > room ? chunk.subarray(0, room) : chunk;
    this.#chunks.push(kept);
    this.#kept += kept.length;
  }

  /** The text kept; a multi-byte character cut by the cap is dropped rather than shown as U+FFFD. */
  text(): string {
    const bytes = Buffer.concat(this.#chunks);
    return (this.#truncated ? bytes.subarray(0, completeLength(bytes)) : bytes).toString('utf8');
  }
}

/** The length of `bytes` without a trailing, incomplete UTF-8 sequence. */
function completeLength(bytes: Buffer): number {
  for (let back = 1; back <= Math.min(4, bytes.length); back += 1) {
    const byte = bytes[bytes.length - back] as number;
    if ((byte & 0xc0) === 0x80) continue; // a continuation byte: keep looking for the lead
    const needed = byte >= 0xf0 ? 4 : byte >= 0xe0 ? 3 : byte >= 0xc0 ? 2 : 1;
    return needed > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}
