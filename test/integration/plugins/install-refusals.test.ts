import { createHash, randomBytes } from 'node:crypto';
import { existsSync, mkdirSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { UserError } from '../../../src/core/errors.js';
import { pluginFiles, tgz, type TarEntry } from '../../support/tar-writer.js';
import { leftovers, startInstallBed, type InstallBed } from './install-bed.js';

let bed: InstallBed | undefined;
afterEach(() => bed?.logger.assertNoErrors());

const STATUS_PLUGIN = new URL('../../../plugins/status', import.meta.url).pathname;
const good = (name = 'sneaky') => pluginFiles({ name });

/** Each archive gets past the pin (its real sha256) and must still be refused by what is inside. */
const MALICIOUS: Array<[string, () => Buffer, RegExp]> = [
  ['an absolute path', () => tgz([...good(), { path: '/tmp/opsroom-pwned', data: 'x' }]), /the entry "\/tmp\/opsroom-pwned" has an absolute path/],
  ['a path climbing out with ..', () => tgz([...good(), { path: 'package/../../../.ssh/authorized_keys', data: 'ssh-ed25519 AAAA' }]), /climbs out of its folder with \.\./],
  ['a symbolic link', () => tgz([...good(), { path: 'package/secrets', type: 'symlink', linkname: '/etc/shadow' }]), /is a symbolic link, which a plugin may not contain/],
  ['a hard link', () => tgz([...good(), { path: 'package/passwd', type: 'hardlink', linkname: '/etc/passwd' }]), /is a hard link, which a plugin may not contain/],
  ['a device file', () => tgz([...good(), { path: 'package/null', type: 'char' }]), /is a character device, which a plugin may not contain/],
  ['a FIFO', () => tgz([...good(), { path: 'package/pipe', type: 'fifo' }]), /is a FIFO \(named pipe\), which a plugin may not contain/],
  ['too many files', () => tgz([...good(), ...Array.from({ length: 30 }, (_, i): TarEntry => ({ path: `package/lib/f${i}.js`, data: '//' }))]), /it holds more than 20 entries/],
  ['files too big', () => tgz([...good(), { path: 'package/blob.bin', data: Buffer.alloc(300 * 1024, 7) }]), /it unpacks to more than 256 KiB/],
  ['a gzip bomb', () => gzipSync(Buffer.alloc(96 * 1024 * 1024), { level: 9 }), /decompresses to more than \d+ KiB \(a gzip bomb, or simply too big\)/],
];

function pinned(bed: InstallBed, path: string, tarball: Buffer): string {
  return `${bed.registry.file(path, tarball)}#sha256=${createHash('sha256').update(tarball).digest('hex')}`;
}

async function refused(bed: InstallBed, source: string): Promise<UserError> {
  try {
    await bed.installer.install(source, 'system');
  } catch (error) {
    expect(error).toBeInstanceOf(UserError);
    return error as UserError;
  }
  throw new Error(`${source} was installed; it should have been refused`);
}

function expectNothingLeft(bed: InstallBed): void {
  expect(leftovers(bed.installDir)).toEqual([]);
  expect(existsSync(bed.lockFile)).toBe(false);
  expect(bed.plugins.info('sneaky')).toBeUndefined();
  expect(existsSync('/tmp/opsroom-pwned')).toBe(false);
}

describe('plugin install: safe unpacking', () => {
  it.each(MALICIOUS)('refuses a tarball with %s and leaves nothing behind', async (_what, make, reason) => {
    bed = await startInstallBed({ plugins: { install: { maxFiles: 20, maxUnpackedKb: 256, maxDownloadKb: 1024 } } });
    const error = await refused(bed, pinned(bed, '/dl/sneaky.tgz', make()));
    expect(error.code).toBe('E_INSTALL');
    expect(error.message).toMatch(reason);
    expect(error.message).toMatch(/^the plugin archive was refused: .*; nothing was installed$/);
    expectNothingLeft(bed);
    expect(await bed.app.get<AuditLog>(AuditLog).list({ action: 'plugin.installed' })).toEqual([]);
  });

  it('refuses a download larger than plugins.install.maxDownloadKb before unpacking anything', async () => {
    bed = await startInstallBed({ plugins: { install: { maxDownloadKb: 8 } } });
    const big = tgz([...good(), { path: 'package/noise.bin', data: randomBytes(64 * 1024) }]);
    const error = await refused(bed, pinned(bed, '/dl/big.tgz', big));
    expect(error.message).toMatch(/^downloading the plugin tarball from https:\/\/127\.0\.0\.1:\d+\/dl\/big\.tgz failed: it is \d+ KiB, over the 8 KiB limit \(plugins\.install\.maxDownloadKb\)$/);
    expectNothingLeft(bed);
  });

  it('validates the manifest after unpacking, naming every problem, and removes the unpacked files', async () => {
    bed = await startInstallBed();
    const badManifest = tgz([{ path: 'package/plugin.json', data: JSON.stringify({ name: 'Sneaky!', version: 'one', apiVersion: 1, description: 'x' }) }, { path: 'package/index.js', data: '' }]);
    const error = await refused(bed, pinned(bed, '/dl/bad.tgz', badManifest));
    expect(error.message).toBe([
      'the plugin is not valid; nothing was installed:',
      '  - plugin.json: name: invalid value (expected a lower-case name of 2 to 40 letters, digits and dashes)',
      '  - plugin.json: version: invalid value (expected a semantic version such as 1.2.0)',
    ].join('\n'));
    const noManifest = await refused(bed, pinned(bed, '/dl/none.tgz', tgz([{ path: 'package/index.js', data: '' }])));
    expect(noManifest.message).toBe('the plugin has no plugin.json at its top (or inside its single top folder); nothing was installed');
    expectNothingLeft(bed);
  });

  it('refuses a plugin whose name is already taken, by an installed, bundled or configured plugin', async () => {
    bed = await startInstallBed({ plugins: { paths: [STATUS_PLUGIN] } });
    const shadow = await refused(bed, pinned(bed, '/dl/status.tgz', tgz(pluginFiles({ name: 'status' }))));
    expect(shadow.message).toBe(`a plugin named status is already loaded from ${STATUS_PLUGIN}; a second plugin of that name is refused`);
    await bed.installer.install(pinned(bed, '/dl/sneaky.tgz', tgz(good())), 'system');
    const twice = await refused(bed, pinned(bed, '/dl/sneaky2.tgz', tgz(pluginFiles({ name: 'sneaky', version: '1.0.1' }))));
    expect(twice.message).toBe('sneaky 1.0.0 is already installed; `plugin upgrade sneaky` replaces it');
    expect(leftovers(bed.installDir).sort()).toEqual(['.records', '.records/sneaky.json', 'sneaky', 'sneaky/README.md', 'sneaky/index.js', 'sneaky/package.json', 'sneaky/plugin.json']);
  });

  it('refuses a local folder holding a symbolic link', async () => {
    bed = await startInstallBed();
    const folder = join(bed.dir, 'linked');
    mkdirSync(folder);
    for (const entry of pluginFiles({ name: 'sneaky', prefix: '' })) writeFileSync(join(folder, entry.path), entry.data ?? '');
    symlinkSync('/etc/passwd', join(folder, 'passwd'));
    const error = await refused(bed, folder);
    expect(error.message).toBe('the plugin archive was refused: passwd is a symbolic link, which a plugin may not contain; nothing was installed');
    expectNothingLeft(bed);
  });
});
