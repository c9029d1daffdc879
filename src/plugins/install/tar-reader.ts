import { gunzipSync } from 'node:zlib';
import { EntryCollector, archiveError, safeRelativePath, type ArchiveEntry, type ArchiveLimits } from './archive-entry.js';

const BLOCK = 512;

/**
 * How far a tar may inflate: twice the file-bytes cap plus room for headers and padding, so that an archive that is
 * merely too big is refused by the clearer per-file count, and anything beyond this is stopped while inflating.
 */
function tarCapOf(limits: ArchiveLimits): number {
  return 2 * limits.maxUnpackedBytes + limits.maxFiles * 4 * BLOCK + 16 * BLOCK;
}

/**
 * A gzip stream is inflated into at most the cap; a gzip bomb stops there without ever allocating more. Plain
 * (uncompressed) tar is taken as it is.
 */
export function decompress(archive: Buffer, limits: ArchiveLimits): Buffer {
  const cap = tarCapOf(limits);
  if (archive[0] !== 0x1f || archive[1] !== 0x8b) {
    if (archive.length > cap) throw archiveError(`it is larger than ${Math.floor(cap / 1024)} KiB`);
    return archive;
  }
  try {
    return gunzipSync(archive, { maxOutputLength: cap });
  } catch (error) {
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ERR_BUFFER_TOO_LARGE' || error instanceof RangeError) throw archiveError(`it decompresses to more than ${Math.floor(cap / 1024)} KiB (a gzip bomb, or simply too big)`);
    throw archiveError(`it is not valid gzip (${(error as Error).message})`);
  }
}

function text(block: Buffer, start: number, length: number): string {
  const field = block.subarray(start, start + length);
  const end = field.indexOf(0);
  return field.subarray(0, end < 0 ? length : end).toString('utf8');
}

function octal(block: Buffer, start: number, length: number, what: string): number {
  if ((block[start] ?? 0) & 0x80) throw archiveError(`an entry's ${what} is in binary form (over 8 GiB)`);
  const digits = text(block, start, length).trim();
  if (digits === '') return 0;
  if (!/^[0-7]+$/.test(digits)) throw archiveError(`an entry's ${what} field is not an octal number`);
  return parseInt(digits, 8);
}

function checksumOk(block: Buffer): boolean {
  const stored = text(block, 148, 8).trim();
  if (!/^[0-7]+$/.test(stored)) return false;
  let sum = 0;
  for (let i = 0; i < BLOCK; i++) sum += i >= 148 && i < 156 ? 0x20 : (block[i] as number);
  return sum === parseInt(stored, 8);
}

/** The `key=value` records of a pax extended header (`<length> <key>=<value>\n`). */
function paxRecords(data: Buffer): Map<string, string> {
  const records = new Map<string, string>();
  let at = 0;
  while (at < data.length) {
    const space = data.indexOf(0x20, at);
    const length = space < 0 ? NaN : Number(data.subarray(at, space).toString('ascii'));
    if (!Number.isInteger(length) || length <= 0 || at + length > data.length) throw archiveError('a pax extended header is malformed');
    const record = data.subarray(space + 1, at + length - 1).toString('utf8');
    const eq = record.indexOf('=');
    if (eq > 0) records.set(record.slice(0, eq), record.slice(eq + 1));
    at += length;
  }
  return records;
}

const REFUSED: Record<string, string> = {
  '1': 'a hard link', '2': 'a symbolic link', '3': 'a character device', '4': 'a block device', '6': 'a FIFO (named pipe)',
};

interface Pending { path?: string; size?: number }

/**
 * Reads a ustar/pax/GNU tar archive (gzip or plain) into entries, refusing anything unsafe before a single byte is
 * written: links, devices, FIFOs, absolute or climbing paths, duplicates, and archives over the entry or size caps.
 */
export function readTar(archive: Buffer, limits: ArchiveLimits): ArchiveEntry[] {
  const tar = decompress(archive, limits);
  const collector = new EntryCollector(limits);
  let pending: Pending = {};
  let offset = 0;
  let sawEnd = false;
  while (offset + BLOCK <= tar.length) {
    const header = tar.subarray(offset, offset + BLOCK);
    if (header.every((b) => b === 0)) {
      sawEnd = true;
      break;
    }
    if (!checksumOk(header)) throw archiveError(offset === 0 ? 'it is not a tar archive' : 'an entry header is corrupt (bad checksum)');
    const type = String.fromCharCode(header[156] as number) || '0';
    const size = pending.size ?? octal(header, 124, 12, 'size');
    const dataStart = offset + BLOCK;
    if (dataStart + size > tar.length) throw archiveError('it is truncated (an entry is cut short)');
    const data = tar.subarray(dataStart, dataStart + size);
    offset = dataStart + Math.ceil(size / BLOCK) * BLOCK;
    if (type === 'x') {
      const records = paxRecords(data);
      pending = { ...(records.has('path') ? { path: records.get('path') } : {}), ...(records.has('size') ? { size: Number(records.get('size')) } : {}) };
      if (pending.size !== undefined && !(Number.isInteger(pending.size) && pending.size >= 0)) throw archiveError('a pax size is not a whole number');
      continue;
    }
    if (type === 'g') continue;
    if (type === 'L') {
      pending = { ...pending, path: data.toString('utf8').replace(/\0+$/, '') };
      continue;
    }
    const magic = header.subarray(257, 263).toString('latin1');
    const prefix = magic === 'ustar\0' ? text(header, 345, 155) : '';
    const rawPath = pending.path ?? (prefix ? `${prefix}/${text(header, 0, 100)}` : text(header, 0, 100));
    pending = {};
    addEntry(collector, type, rawPath, data);
  }
  if (!sawEnd && offset < tar.length) throw archiveError('it is truncated (a header is cut short)');
  return collector.entries;
}

function addEntry(collector: EntryCollector, type: string, rawPath: string, data: Buffer): void {
  const refused = REFUSED[type] ?? (type === 'K' ? 'a hard or symbolic link' : undefined);
  if (refused) throw archiveError(`the entry ${JSON.stringify(rawPath.slice(0, 80))} is ${refused}, which a plugin may not contain`);
  const path = safeRelativePath(rawPath);
  if (type === '5') return collector.addDir(path);
  if (type === '0' || type === '\0' || type === '7') return collector.addFile(path, Buffer.from(data));
  throw archiveError(`the entry ${JSON.stringify(rawPath.slice(0, 80))} has the unsupported tar type ${JSON.stringify(type)}`);
}
