import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { RegistryStandIn } from '../../stand-ins/npm-registry/registry-stand-in.js';
import { runCli } from '../../support/run-cli.js';
import { pluginFiles, tgz } from '../../support/tar-writer.js';
import { testCertificate, writePluginFolder } from './install-bed.js';

async function registry(): Promise<RegistryStandIn> {
  const cert = testCertificate();
  const standIn = new RegistryStandIn({ key: cert.key, cert: cert.cert });
  await standIn.start();
  onTestFinished(() => standIn.stop());
  return standIn;
}

function machine(registryUrl: string): string {
  const cwd = mkdtempSync(join(tmpdir(), 'opsroom-cli-install-'));
  onTestFinished(() => rmSync(cwd, { recursive: true, force: true }));
  writeFileSync(join(cwd, 'opsroom.yaml'), [
    'plugins:',
    '  bundled: false',
    `  install: { registry: "${registryUrl}", caFile: "${testCertificate().certFile}" }`,
    '',
  ].join('\n'));
  return cwd;
}

describe('opsroom plugin install, remove, sync and search', () => {
  it('installs as the operator, writes the lock file next to the configuration, and a second machine syncs the same set', async () => {
    const npm = await registry();
    npm.publish('opsroom-plugin-greet', '1.2.0', tgz(pluginFiles({ name: 'greet', version: '1.2.0', capabilities: { post: ['builds'] } })), { keywords: ['opsroom-plugin'], description: 'Greets the room' });
    const first = machine(npm.url);
    writePluginFolder(join(first, 'hello-src'), pluginFiles({ name: 'hello', prefix: '' }));

    const folder = await runCli(['plugin', 'install', './hello-src'], { cwd: first });
    expect(folder.stderr).toBe('');
    expect(folder.code).toBe(0);
    expect(folder.stdout).toMatch(/^Installed hello 1\.0\.0 from file:.*hello-src \(sha256-.{17}…\)\. It is DISABLED\.\n/);
    const fromNpm = await runCli(['plugin', 'install', 'npm:opsroom-plugin-greet@1.2.0'], { cwd: first });
    expect(fromNpm.code).toBe(0);
    expect(fromNpm.stdout).toContain('  - post to the builds channel (post:builds)');
    const lock = JSON.parse(readFileSync(join(first, 'opsroom-plugins.lock.json'), 'utf8'));
    expect(Object.keys(lock.plugins)).toEqual(['greet', 'hello']);
    expect(lock.plugins.hello.source).toBe('file:./hello-src');
    expect(existsSync(join(first, 'data', 'plugins', 'greet', 'plugin.json'))).toBe(true);
    const list = await runCli(['plugin', 'list'], { cwd: first });
    expect(list.stdout).toMatch(/- greet 1\.2\.0 \(.*data\/plugins\/greet\): disabled/);

    const second = machine(npm.url);
    writePluginFolder(join(second, 'hello-src'), pluginFiles({ name: 'hello', prefix: '' }));
    copyFileSync(join(first, 'opsroom-plugins.lock.json'), join(second, 'opsroom-plugins.lock.json'));
    const sync = await runCli(['plugin', 'sync'], { cwd: second });
    expect(sync.stderr).toBe('');
    expect(sync.stdout).toBe(`+ greet 1.2.0 installed (disabled)\n+ hello 1.0.0 installed (disabled)\nIn step with ${join(second, 'opsroom-plugins.lock.json')}.\n`);
    expect(sync.code).toBe(0);

    const removed = await runCli(['plugin', 'remove', 'greet', '--purge'], { cwd: second });
    expect(removed.stdout).toBe('Removed greet 1.2.0: its code and grants are gone; 0 stored keys deleted.\n');
    expect(existsSync(join(second, 'data', 'plugins', 'greet'))).toBe(false);
  }, 120_000);

  it('searches the registry and refuses an unpinned tarball with a clear message and status 2', async () => {
    const npm = await registry();
    npm.publish('opsroom-plugin-greet', '1.2.0', tgz(pluginFiles({ name: 'greet' })), { keywords: ['opsroom-plugin'], description: 'Greets the room' });
    const cwd = machine(npm.url);
    const search = await runCli(['plugin', 'search', 'greet'], { cwd });
    expect(search.code).toBe(0);
    expect(search.stdout).toBe(`Opsroom plugins on ${npm.url}/ matching "greet":\n- opsroom-plugin-greet 1.2.0: Greets the room\n  plugin install npm:opsroom-plugin-greet@1.2.0\n`);
    const unpinned = await runCli(['plugin', 'install', `${npm.url}/dl/greet.tgz`], { cwd });
    expect(unpinned.code).toBe(2);
    expect(unpinned.stderr).toBe([
      `opsroom: cannot install from "${npm.url}/dl/greet.tgz": a tarball URL needs the sha256 of the tarball pinned after it, as #sha256=<64 hex digits>`,
      'A source is a local folder (./my-plugin or file:/abs/path), https://host/plugin.tgz#sha256=<64 hex>, or npm:<name>@<version>.',
      '',
    ].join('\n'));
    expect(existsSync(join(cwd, 'opsroom-plugins.lock.json'))).toBe(false);
  }, 60_000);
});
