import { copyFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createHash } from 'node:crypto';
import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { PluginKvStore } from '../../../src/capabilities/storage/plugin-kv-store.js';
import { GrantStore } from '../../../src/plugins/grant-store.js';
import { formatUpgraded } from '../../../src/plugins/install/install-report.js';
import { message } from '../../fakes/fake-adapter.js';
import { pluginFiles, tgz } from '../../support/tar-writer.js';
import { folderPlugin, leftovers, startInstallBed, type InstallBed } from './install-bed.js';

const beds: InstallBed[] = [];
afterEach(() => {
  for (const bed of beds.splice(0)) bed.logger.assertNoErrors();
});

async function bed(...args: Parameters<typeof startInstallBed>): Promise<InstallBed> {
  const started = await startInstallBed(...args);
  beds.push(started);
  return started;
}

const V1 = { net: ['api.github.com'], secrets: { TOKEN: ['api.github.com'] }, storage: { quotaKb: 16 } };
const V2 = { net: ['api.github.com', 'hooks.slack.com'], secrets: { TOKEN: ['api.github.com', 'hooks.slack.com'] }, post: ['builds'] };
const COUNTER = (version: string) => `export default { commands: { counter: async (ctx) => {
  const n = ((await ctx.storage.get('n')) || 0) + 1;
  await ctx.storage.set('n', n);
  return 'counter ${version}: ' + n;
} } };\n`;

describe('plugin upgrade', () => {
  it('shows the capability diff, keeps the old grants, leaves new asks ungranted and revokes asks whose meaning changed', async () => {
    const b = await bed();
    b.registry.publish('opsroom-plugin-hello', '1.0.0', tgz(pluginFiles({ name: 'hello', version: '1.0.0', capabilities: V1 })));
    await b.installer.install('npm:opsroom-plugin-hello@1.0.0', 'system');
    await b.plugins.grant('hello', 'all', 'local:user:bob');
    await b.plugins.setEnabled('hello', true, 'local:user:bob');
    expect(b.plugins.info('hello')?.granted).toEqual(['net:api.github.com', 'secrets:TOKEN', 'storage']);
    const integrity = b.registry.publish('opsroom-plugin-hello', '2.0.0', tgz(pluginFiles({ name: 'hello', version: '2.0.0', capabilities: V2 })));
    const report = await b.installer.upgrade('hello', undefined, 'local:user:bob');
    expect(formatUpgraded(report).split('\n')).toEqual([
      `Upgraded hello 1.0.0 -> 2.0.0 from npm:opsroom-plugin-hello@2.0.0 (${integrity.slice(0, 24)}…); it is loaded.`,
      '  + new, not granted: send HTTP requests to hooks.slack.com (net:hooks.slack.com)',
      '  + new, not granted: post to the builds channel (post:builds)',
      '  ~ changed, grant revoked: send secret TOKEN to api.github.com, hooks.slack.com; was: send secret TOKEN to api.github.com (secrets:TOKEN)',
      '  - no longer asked: keep up to 16 KB of its own data (storage)',
      '  = unchanged, granted: send HTTP requests to api.github.com (net:api.github.com)',
      'New asks stay ungranted until an admin grants them (`plugin grant hello <capability>`).',
      'Granted now: net:api.github.com',
    ]);
    await b.adapter.deliver(message('!hello'));
    expect(b.adapter.lastText()).toBe('hello from hello 2.0.0');
    expect(JSON.parse(readFileSync(b.lockFile, 'utf8')).plugins.hello).toMatchObject({ version: '2.0.0', source: 'npm:opsroom-plugin-hello@2.0.0', integrity });
    const audit = await b.app.get<AuditLog>(AuditLog).list({ action: 'plugin.upgraded' });
    expect(audit[0]?.detail).toMatchObject({ plugin: 'hello', from: '1.0.0', to: '2.0.0', added: ['net:hooks.slack.com', 'post:builds'], changed: ['secrets:TOKEN'], removed: ['storage'], revoked: ['secrets:TOKEN'] });
    await expect(b.installer.upgrade('hello', undefined, 'system')).rejects.toThrow('hello 2.0.0 is already installed from npm:opsroom-plugin-hello@2.0.0; nothing to upgrade');
  });

  it('refuses to upgrade a plugin it did not install, and new code that names itself differently', async () => {
    const b = await bed({ plugins: { paths: [new URL('../../../plugins/status', import.meta.url).pathname] } });
    await expect(b.installer.upgrade('status', undefined, 'system')).rejects.toThrow(/^status was not installed with plugin install \(it comes from .*plugins\/status\); disable it with `plugin disable status` instead$/);
    await b.installer.install(folderPlugin(b.dir, { name: 'hello' }), 'system');
    const other = folderPlugin(b.dir, { name: 'other' });
    await expect(b.installer.upgrade('hello', other, 'system')).rejects.toThrow('the new code names itself other, not hello; nothing was changed');
    expect(leftovers(b.installDir).filter((p) => p.startsWith('.staging/'))).toEqual([]);
  });
});

describe('plugin remove', () => {
  it('removes code and grants, and only with --purge the plugin\'s storage', async () => {
    const b = await bed();
    const source = folderPlugin(b.dir, { name: 'counter', capabilities: { storage: { quotaKb: 16 } }, code: COUNTER('1.0.0') });
    await b.installer.install(source, 'system');
    await b.plugins.grant('counter', 'all', 'local:user:bob');
    await b.plugins.setEnabled('counter', true, 'local:user:bob');
    await b.adapter.deliver(message('!counter'));
    expect(b.adapter.lastText()).toBe('counter 1.0.0: 1');
    expect(await b.installer.remove('counter', { purge: false }, 'local:user:bob')).toBe('Removed counter 1.0.0: its code and grants are gone; its storage was kept (`plugin remove counter --purge` deletes it).');
    expect(existsSync(join(b.installDir, 'counter'))).toBe(false);
    expect(b.plugins.info('counter')).toBeUndefined();
    expect(await b.app.get<GrantStore>(GrantStore).changes('counter')).toEqual([]);
    expect(JSON.parse(readFileSync(b.lockFile, 'utf8')).plugins).toEqual({});
    expect(await b.app.get<PluginKvStore>(PluginKvStore).get('counter', 'n')).toBe(1);
    const again = await b.installer.install(source, 'system');
    expect(again.status).toMatchObject({ state: 'disabled', granted: [] });
    expect(await b.installer.remove('counter', { purge: true }, 'local:user:bob')).toBe('Removed counter 1.0.0: its code and grants are gone; 1 stored key deleted.');
    expect(await b.app.get<PluginKvStore>(PluginKvStore).get('counter', 'n')).toBeUndefined();
    await expect(b.installer.remove('counter', { purge: false }, 'system')).rejects.toThrow('there is no plugin counter; `plugin list` shows them');
    const audit = await b.app.get<AuditLog>(AuditLog).list({ action: 'plugin.removed' });
    expect(audit.map((a) => a.detail?.purge)).toEqual([true, false]);
  });
});

describe('the lock file and plugin sync', () => {
  it('lets a second machine install exactly the same set, integrity checked, and removes what the lock does not list', async () => {
    const first = await bed();
    first.registry.publish('opsroom-plugin-greet', '1.0.0', tgz(pluginFiles({ name: 'greet' })));
    const pinnedTarball = tgz(pluginFiles({ name: 'pinned', version: '3.0.0' }));
    const url = `${first.registry.file('/dl/pinned.tgz', pinnedTarball)}#sha256=${createHash('sha256').update(pinnedTarball).digest('hex')}`;
    const folder = folderPlugin(first.dir, { name: 'local' });
    await first.installer.install('npm:opsroom-plugin-greet@1.0.0', 'system');
    await first.installer.install(url, 'system');
    await first.installer.install(folder, 'system');
    const lock = JSON.parse(readFileSync(first.lockFile, 'utf8'));
    expect(Object.keys(lock.plugins)).toEqual(['greet', 'local', 'pinned']);
    expect(lock.plugins.local.source).toBe('file:./local-src');

    const secondDir = mkdtempSync(join(tmpdir(), 'opsroom-second-'));
    copyFileSync(first.lockFile, join(secondDir, 'opsroom-plugins.lock.json'));
    try {
      folderPlugin(secondDir, { name: 'local' });
      const second = await bed({}, { dir: secondDir, registry: first.registry });
      await second.installer.install(folderPlugin(secondDir, { name: 'stray' }), 'system');
      copyFileSync(first.lockFile, second.lockFile);
      const report = await second.installer.sync('system');
      expect(report).toEqual({ failed: 0, lines: [
        '+ greet 1.0.0 installed (disabled)', '+ local 1.0.0 installed (disabled)', '+ pinned 3.0.0 installed (disabled)',
        `- stray removed (not in ${second.lockFile})`,
      ] });
      for (const name of ['greet', 'local', 'pinned']) {
        expect(JSON.parse(readFileSync(join(second.installDir, '.records', `${name}.json`), 'utf8'))).toEqual(lock.plugins[name]);
        expect(readFileSync(join(second.installDir, name, 'index.js'), 'utf8')).toBe(readFileSync(join(first.installDir, name, 'index.js'), 'utf8'));
      }
      expect(second.plugins.info('stray')).toBeUndefined();
      expect((await second.installer.sync('system')).lines).toEqual(['= greet 1.0.0 is as locked', '= local 1.0.0 is as locked', '= pinned 3.0.0 is as locked']);

      second.registry.publish('opsroom-plugin-greet', '1.0.0', tgz(pluginFiles({ name: 'greet', code: 'export default { commands: { greet: async () => "pwned" } };' })));
      rmSync(join(second.installDir, '.records', 'greet.json'));
      rmSync(join(second.installDir, 'greet'), { recursive: true });
      await second.plugins.remove('greet');
      const tampered = await second.installer.sync('system');
      expect(tampered.failed).toBe(1);
      expect(tampered.lines[0]).toMatch(/^! greet: opsroom-plugin-greet@1\.0\.0 on https:\/\/127\.0\.0\.1:\d+\/ has integrity sha512-.+, but the lock file expects sha512-.+; nothing was installed$/);
      expect(existsSync(join(second.installDir, 'greet'))).toBe(false);
    } finally {
      rmSync(secondDir, { recursive: true, force: true });
    }
  });
});
