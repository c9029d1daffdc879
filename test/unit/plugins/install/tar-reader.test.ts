import { gzipSync } from 'node:zlib';
import { describe, expect, it } from 'vitest';
import { UserError } from '../../../../src/core/errors.js';
import { stripCommonFolder } from '../../../../src/plugins/install/archive-entry.js';
import { readTar } from '../../../../src/plugins/install/tar-reader.js';
import { pluginFiles, tar, tgz, type TarEntry } from '../../../support/tar-writer.js';

const LIMITS = { maxFiles: 100, maxUnpackedBytes: 64 * 1024 };

function refusal(archive: Buffer, limits = LIMITS): string {
  try {
    readTar(archive, limits);
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    expect((error as UserError).code).toBe('E_INSTALL');
    return (error as Error).message;
  }
  throw new Error('expected the archive to be refused');
}

const ok: TarEntry[] = [{ path: 'package/plugin.json', data: '{}' }];

describe('readTar', () => {
  it('reads an npm-style gzip tarball into files and folders', () => {
    const entries = readTar(tgz(pluginFiles({ name: 'hello' })), LIMITS);
    expect(entries.map((e) => `${e.type} ${e.path}`)).toEqual([
      'dir package', 'file package/package.json', 'file package/plugin.json', 'file package/index.js', 'file package/README.md',
    ]);
    const manifest = entries.find((e) => e.path === 'package/plugin.json');
    expect(manifest?.type === 'file' && JSON.parse(manifest.data.toString()).name).toBe('hello');
  });

  it('reads plain tar and pax long names', () => {
    const long = `package/${'deep/'.repeat(30)}notes.txt`;
    const entries = readTar(tar([{ path: long, data: 'x', pax: true }]), LIMITS);
    expect(entries).toEqual([{ type: 'file', path: long, data: Buffer.from('x') }]);
  });

  it('takes away the single top folder, and only when plugin.json is not at the top already', () => {
    const wrapped = readTar(tgz(pluginFiles({ name: 'hello' })), LIMITS);
    expect(stripCommonFolder(wrapped).map((e) => e.path)).toEqual(['package.json', 'plugin.json', 'index.js', 'README.md']);
    const flat = readTar(tgz(pluginFiles({ name: 'hello', prefix: '' })), LIMITS);
    expect(stripCommonFolder(flat).map((e) => e.path)).toEqual(['package.json', 'plugin.json', 'index.js', 'README.md']);
    const two = readTar(tgz([{ path: 'a/plugin.json', data: '{}' }, { path: 'b/index.js', data: '' }]), LIMITS);
    expect(stripCommonFolder(two).map((e) => e.path)).toEqual(['a/plugin.json', 'b/index.js']);
  });

  it.each([
    ['an absolute path', [{ path: '/etc/cron.d/evil', data: 'x' }], 'has an absolute path'],
    ['a path climbing out with ..', [...ok, { path: 'package/../../.bashrc', data: 'x' }], 'climbs out of its folder with ..'],
    ['a .. hidden in a pax path', [{ path: 'package/../../x', data: 'x', pax: true }], 'climbs out of its folder with ..'],
    ['a symbolic link', [...ok, { path: 'package/index.js', type: 'symlink', linkname: '/etc/passwd' }], 'is a symbolic link'],
    ['a hard link', [...ok, { path: 'package/index.js', type: 'hardlink', linkname: 'package/plugin.json' }], 'is a hard link'],
    ['a character device', [...ok, { path: 'package/tty', type: 'char' }], 'is a character device'],
    ['a block device', [...ok, { path: 'package/sda', type: 'block' }], 'is a block device'],
    ['a FIFO', [...ok, { path: 'package/pipe', type: 'fifo' }], 'is a FIFO'],
    ['a Windows drive path', [{ path: 'C:/Windows/evil.dll', data: 'x' }], 'has an absolute path'],
    ['a backslash', [{ path: 'package\\..\\evil', data: 'x' }], 'has a backslash'],
    ['a control character', [{ path: 'package/a\u001b[31m.js', data: 'x' }], 'has a control character'],
    ['the same file twice', [...ok, { path: 'package/./plugin.json', data: 'other' }], 'appears twice'],
    ['a file standing where a folder is needed', [{ path: 'package/lib', data: 'x' }, { path: 'package/lib/a.js', data: 'y' }], 'which is a file'],
  ] satisfies Array<[string, TarEntry[], string]>)('refuses %s', (_what, entries, message) => {
    expect(refusal(tgz(entries))).toContain(message);
  });

  it('refuses more entries than the cap', () => {
    const entries = Array.from({ length: 11 }, (_, i) => ({ path: `package/f${i}.txt`, data: 'x' }));
    expect(refusal(tgz(entries), { maxFiles: 10, maxUnpackedBytes: 1024 })).toContain('holds more than 10 entries');
  });

  it('refuses files adding up to more than the size cap', () => {
    const entries = [{ path: 'a.bin', data: Buffer.alloc(600) }, { path: 'b.bin', data: Buffer.alloc(600) }];
    expect(refusal(tgz(entries), { maxFiles: 10, maxUnpackedBytes: 1024 })).toContain('unpacks to more than 1 KiB');
  });

  it('stops a gzip bomb at the cap without inflating it', () => {
    const bomb = gzipSync(Buffer.alloc(64 * 1024 * 1024), { level: 9 });
    expect(bomb.length).toBeLessThan(100 * 1024);
    const before = process.memoryUsage().arrayBuffers;
    expect(refusal(bomb)).toContain('a gzip bomb, or simply too big');
    expect(process.memoryUsage().arrayBuffers - before).toBeLessThan(32 * 1024 * 1024);
  });

  it('refuses what is not a tar archive, corrupt or cut short', () => {
    expect(refusal(gzipSync(Buffer.from('just some text that is long enough to fill more than one tar block '.repeat(10))))).toContain('not a tar archive');
    expect(refusal(Buffer.from('not gzip and not tar'))).toContain('it is truncated');
    const whole = tar([{ path: 'plugin.json', data: 'x'.repeat(2000) }]);
    expect(refusal(whole.subarray(0, 1024))).toContain('it is truncated');
    const corrupt = Buffer.from(whole);
    corrupt[10] = 0x41;
    expect(refusal(corrupt)).toContain('not a tar archive');
    expect(refusal(Buffer.from([0x1f, 0x8b, 1, 2, 3]))).toContain('not valid gzip');
  });
});
