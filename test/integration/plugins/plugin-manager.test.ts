import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { PluginManager } from '../../../src/plugins/plugin-manager.js';
import { message } from '../../fakes/fake-adapter.js';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const echo = {
  manifest: manifest('echo', {
    commands: [
      { name: 'echo', description: 'repeats', args: [{ name: 'text', type: 'rest', required: true }] },
      { name: 'echo who', description: 'who called', args: [] },
      { name: 'echo stash', description: 'stores', args: [{ name: 'value', type: 'string', required: true }] },
    ],
    capabilities: { storage: { quotaKb: 1 } },
  }),
  code: `export default { commands: {
    async echo(ctx, args) { return args.text; },
    async echoWho(ctx) { return ctx.invocation.user.id + ' ' + ctx.invocation.roles.join(','); },
    async echoStash(ctx, args) {
      try { await ctx.storage.set('v', args.value); return 'stored'; }
      catch (e) { return e.name + ': ' + e.message; }
    },
  } };`,
};

async function withPlugins(plugins: Record<string, { manifest: unknown; code: string }>, config: Record<string, unknown> = {}): Promise<TestApp> {
  const dir = pluginFolders(plugins);
  current = await startTestApp({ ...config, plugins: { bundled: false, paths: [dir], ...(config.plugins as object ?? {}) } });
  return current;
}

describe('PluginManager', () => {
  it('loads a plugin from a configured folder and answers its commands from the sandbox', async () => {
    const { adapter } = await withPlugins({ echo });
    await adapter.deliver(message('!echo hello   there'));
    await adapter.deliver(message('!echo who'));
    expect(adapter.texts()).toEqual(['hello there', 'local:user:alice operator']);
  });

  it('reports every manifest problem with its path, shows the plugin as failed, and runs on without it', async () => {
    const broken = {
      manifest: manifest('Broken!', { commands: [{ name: 'x', description: 'x', args: [{ name: 'a', type: 'strnig' }] }], capabilities: { net: ['ok.example.com'], teleport: true } }),
      code: 'export default { commands: {} };',
    };
    const { app, adapter } = await withPlugins({ echo, broken });
    const status = app.get<PluginManager>(PluginManager).list().find((p) => p.dir.endsWith('broken'));
    expect(status?.state).toBe('failed');
    expect(status?.problems).toEqual(expect.arrayContaining([
      expect.stringMatching(/^plugin\.json: name: /),
      expect.stringMatching(/^plugin\.json: commands\[0\]\.args\[0\]\.type: "strnig" is not allowed \(expected one of string, int/),
      expect.stringMatching(/^plugin\.json: capabilities: unknown key "teleport"/),
    ]));
    await adapter.deliver(message('!plugin list'));
    expect(adapter.lastText()).toMatch(/- Broken! \? \(.*broken\): FAILED: plugin\.json: /);
    await adapter.deliver(message('!echo still here'));
    expect(adapter.lastText()).toBe('still here');
  });

  it('fails a plugin whose manifest names a command index.js does not export', async () => {
    const missing = { manifest: manifest('missing', { commands: [{ name: 'gone', description: 'g' }] }), code: 'export default { commands: {} };' };
    const { app } = await withPlugins({ missing });
    expect(app.get<PluginManager>(PluginManager).info('missing')).toMatchObject({
      state: 'failed', problems: ['missing: plugin.json declares the command "gone" but index.js exports no function commands["gone"]'],
    });
  });

  it('refuses an ungranted capability with CapabilityDenied, audits it, and works once granted', async () => {
    const { app, adapter } = await withPlugins({ echo }, { plugins: { grants: { echo: [] } } });
    await adapter.deliver(message('!echo stash one'));
    expect(adapter.lastText()).toBe('CapabilityDenied: echo was not granted storage; an admin can grant it with `plugin grant echo storage`');
    const denied = await app.get<AuditLog>(AuditLog).list({ action: 'capability.denied' });
    expect(denied[0]).toMatchObject({ actor: 'local:user:alice', detail: { plugin: 'echo', capability: 'storage', method: 'set' } });
    await adapter.deliver(message('!plugin grant echo storage', { as: 'bob' }));
    expect(adapter.lastText()).toContain('Granted storage to echo; it is loaded.');
    await adapter.deliver(message('!echo stash one'));
    expect(adapter.lastText()).toBe('stored');
    const granted = await app.get<AuditLog>(AuditLog).list({ action: 'plugin.granted' });
    expect(granted[0]).toMatchObject({ actor: 'local:user:bob', detail: { plugin: 'echo', grants: ['storage'] } });
  });

  it('grants only what a plugin asks for, and explains what it asks', async () => {
    const { adapter } = await withPlugins({ echo }, { plugins: { grants: { echo: 'all' } } });
    await adapter.deliver(message('!plugin grant echo net:evil.example.com', { as: 'bob' }));
    expect(adapter.lastText()).toBe('echo does not ask for net:evil.example.com; it asks for storage');
    await adapter.deliver(message('!plugin info echo'));
    expect(adapter.lastText()).toContain('[granted] storage: keep up to 1 KB of its own data');
  });

  it('grants nothing to a plugin the configuration does not name', async () => {
    const { app } = await withPlugins({ echo });
    expect(app.get<PluginManager>(PluginManager).info('echo')).toMatchObject({ state: 'loaded', requested: ['storage'], granted: [] });
  });

  it('enforces the storage quota with a clear message', async () => {
    const { adapter } = await withPlugins({ echo }, { plugins: { grants: { echo: 'all' } } });
    await adapter.deliver(message(`!echo stash ${'x'.repeat(2000)}`));
    expect(adapter.lastText()).toMatch(/^[A-Za-z]+: storage: quota of 1 KB exceeded/);
  });

  it('disables and re-enables a plugin at runtime, with its commands going and coming back', async () => {
    const { adapter, app } = await withPlugins({ echo });
    await adapter.deliver(message('!plugin disable echo', { as: 'bob' }));
    await adapter.deliver(message('!echo hi'));
    expect(adapter.lastText()).toMatch(/^There is no command `echo`/);
    await adapter.deliver(message('!plugin enable echo', { as: 'bob' }));
    await adapter.deliver(message('!echo hi'));
    expect(adapter.lastText()).toBe('hi');
    const actions = (await app.get<AuditLog>(AuditLog).list({ actor: 'local:user:bob' })).map((e) => e.action);
    expect(actions).toEqual(expect.arrayContaining(['plugin.disabled', 'plugin.enabled']));
  });

  it('keeps grant changes in the database across a restart', async () => {
    const dir = pluginFolders({ echo });
    const first = await startTestApp({ plugins: { bundled: false, paths: [dir], grants: { echo: 'all' } } });
    await first.adapter.deliver(message('!plugin revoke echo storage', { as: 'bob' }));
    await first.app.stop();
    current = await startTestApp({ plugins: { bundled: false, paths: [dir], grants: { echo: 'all' } } }, { dir: first.dir });
    expect(current.app.get<PluginManager>(PluginManager).info('echo')?.granted).toEqual([]);
  });

  it('loads plugins from OPSROOM_PLUGIN_PATHS style extra folders alongside configured ones', async () => {
    const one = pluginFolders({ echo });
    const two = pluginFolders({ other: { manifest: manifest('other', { commands: [{ name: 'other', description: 'o' }] }), code: 'export default { commands: { async other() { return "other here"; } } };' } });
    current = await startTestApp({ plugins: { bundled: false, paths: [one, `${two}/other`] } });
    await current.adapter.deliver(message('!other'));
    expect(current.adapter.lastText()).toBe('other here');
  });
});
