const KIB = 1024;
const MIB = 1024 * 1024;

function oneDecimal(value: number): string {
  return String(Number(value.toFixed(1)));
}

/** `512 bytes`, `16 KiB`, `1.5 MiB`, for messages. */
export function formatBytes(bytes: number): string {
  if (bytes < KIB) return `${bytes} bytes`;
  if (bytes < MIB) return `${oneDecimal(bytes / KIB)} KiB`;
  return `${oneDecimal(bytes / MIB)} MiB`;
}

/** `250 ms`, `10 s`, `1.5 s`, for messages. */
export function formatDuration(ms: number): string {
  return ms < 1000 ? `${ms} ms` : `${oneDecimal(ms / 1000)} s`;
}
