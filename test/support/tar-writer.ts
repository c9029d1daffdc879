import { gzipSync } from 'node:zlib';

/** One entry of a test tarball; the odd kinds exist so tests can prove each refusal. */
export interface TarEntry {
  path: string;
  type?: 'file' | 'dir' | 'symlink' | 'hardlink' | 'char' | 'block' | 'fifo';
  data?: string | Buffer;
  linkname?: string;
  /** Put the path in a pax extended header instead of the ustar name field (needed beyond 100 characters). */
  pax?: boolean;
}

const TYPES = { file: '0', hardlink: '1', symlink: '2', char: '3', block: '4', dir: '5', fifo: '6' } as const;
const BLOCK = 512;

function field(block: Buffer, offset: number, length: number, value: string): void {
  block.write(value.slice(0, length), offset, length, 'utf8');
}

function octal(value: number, length: number): string {
  return `${value.toString(8).padStart(length - 1, '0')}\0`;
}

function header(path: string, type: string, size: number, linkname = ''): Buffer {
  const block = Buffer.alloc(BLOCK);
  field(block, 0, 100, path);
  field(block, 100, 8, octal(type === '5' ? 0o755 : 0o644, 8));
  field(block, 108, 8, octal(1000, 8));
  field(block, 116, 8, octal(1000, 8));
  field(block, 124, 12, octal(size, 12));
  field(block, 136, 12, octal(1_700_000_000, 12));
  field(block, 148, 8, '        ');
  field(block, 156, 1, type);
  field(block, 157, 100, linkname);
  field(block, 257, 6, 'ustar\0');
  field(block, 263, 2, '00');
  field(block, 265, 32, 'opsroom');
  field(block, 297, 32, 'opsroom');
  let sum = 0;
  for (const byte of block) sum += byte;
  field(block, 148, 8, `${sum.toString(8).padStart(6, '0')}\0 `);
  return block;
}

function padded(data: Buffer): Buffer[] {
  const rest = data.length % BLOCK;
  return rest === 0 ? [data] : [data, Buffer.alloc(BLOCK - rest)];
}

function paxHeader(path: string): Buffer[] {
  const record = (key: string, value: string) => {
    const body = ` ${key}=${value}\n`;
    let length = body.length + 1;
    while (`${length}${body}`.length !== length) length = `${length}${body}`.length;
    return `${length}${body}`;
  };
  const data = Buffer.from(record('path', path), 'utf8');
  return [header('PaxHeader/entry', 'x', data.length), ...padded(data)];
}

/** A real ustar archive (pax headers where asked), ended by two zero blocks. */
export function tar(entries: TarEntry[]): Buffer {
  const parts: Buffer[] = [];
  for (const entry of entries) {
    const type = TYPES[entry.type ?? 'file'];
    const data = type === '0' ? Buffer.from(entry.data ?? '') : Buffer.alloc(0);
    if (entry.pax) parts.push(...paxHeader(entry.path));
    parts.push(header(entry.pax ? 'pax-named-entry' : entry.path, type, data.length, entry.linkname ?? ''), ...padded(data));
  }
  parts.push(Buffer.alloc(BLOCK * 2));
  return Buffer.concat(parts);
}

export function tgz(entries: TarEntry[]): Buffer {
  return gzipSync(tar(entries));
}

/** The files of a minimal valid plugin, under `prefix` (npm packs everything under `package/`). */
export function pluginFiles(options: { name: string; version?: string; capabilities?: Record<string, unknown>; prefix?: string; code?: string; events?: string[] }): TarEntry[] {
  const prefix = options.prefix ?? 'package/';
  const manifest = {
    name: options.name, version: options.version ?? '1.0.0', apiVersion: 1, description: `The ${options.name} test plugin`,
    commands: [{ name: options.name, description: 'Answers hello', args: [], risk: 'low' }],
    ...(options.events ? { events: options.events } : {}),
    capabilities: options.capabilities ?? {},
  };
  const code = options.code ?? `export default { commands: { ${JSON.stringify(options.name)}: async () => 'hello from ${options.name} ${options.version ?? '1.0.0'}' } };\n`;
  return [
    ...(prefix ? [{ path: prefix, type: 'dir' as const }] : []),
    { path: `${prefix}package.json`, data: JSON.stringify({ name: `opsroom-plugin-${options.name}`, version: options.version ?? '1.0.0', keywords: ['opsroom-plugin'] }) },
    { path: `${prefix}plugin.json`, data: JSON.stringify(manifest, null, 2) },
    { path: `${prefix}index.js`, data: code },
    { path: `${prefix}README.md`, data: `# ${options.name}\n` },
  ];
}
