import * as zlib from 'node:zlib';

/** zlib.crc32 exists from Node 20.15 / 22.2 on; older Node 20 releases get the table-driven version below. */
const native = (zlib as { crc32?: (data: Uint8Array, value?: number) => number }).crc32;

let table: Uint32Array | undefined;

function crcTable(): Uint32Array {
  const result = new Uint32Array(256);
  for (let n = 0; n < 256; n++) {
    let c = n;
    for (let k = 0; k < 8; k++) c = c & 1 ? 0xedb88320 ^ (c >>> 1) : c >>> 1;
    result[n] = c >>> 0;
  }
  return result;
}

/** CRC-32 (IEEE 802.3, as PNG and ZIP use it) computed in JavaScript; `previous` continues an earlier sum. */
export function crc32Portable(data: Uint8Array, previous = 0): number {
  table ??= crcTable();
  let crc = (previous ^ 0xffffffff) >>> 0;
  for (const byte of data) crc = (table[(crc ^ byte) & 0xff] as number) ^ (crc >>> 8);
  return (crc ^ 0xffffffff) >>> 0;
}

/** CRC-32 of `data`, natively where Node has it. */
export function crc32(data: Uint8Array, previous = 0): number {
  return native ? native(data, previous) >>> 0 : crc32Portable(data, previous);
}
