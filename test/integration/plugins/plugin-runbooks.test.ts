import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { message } from '../../fakes/fake-adapter.js';
import { manifest, pluginFolders } from '../../support/plugin-folder.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const ops = {
  manifest: manifest('ops', {
    commands: [
      { name: 'hello', description: 'runs a safe runbook', args: [{ name: 'name', type: 'string', required: true }] },
      { name: 'wipe', description: 'calls a high-risk runbook from an unapproved low-risk command', args: [] },
    ],
    capabilities: { runbooks: ['say-hello', 'wipe-disk'] },
  }),
  code: `export default { commands: {
    async hello(ctx, args) { const r = await ctx.runbook('say-hello', { name: args.name }); return r.exitCode + ':' + r.stdout.trim(); },
    async wipe(ctx) { try { await ctx.runbook('wipe-disk', {}); return 'ran'; } catch (e) { return e.name + ': ' + e.message; } },
  } };`,
};

describe('runbooks through the sandbox', () => {
  it('runs an operator runbook with parameters as whole argv elements and returns its output', async () => {
    current = await startTestApp({
      plugins: { bundled: false, paths: [pluginFolders({ ops })], grants: { ops: 'all' } },
      runbooks: {
        'say-hello': { argv: [process.execPath, '-e', 'console.log("hello " + process.argv[1])', '{name}'], params: { name: { type: 'string', pattern: '[^\\n]{1,40}' } } },
        'wipe-disk': { argv: [process.execPath, '-e', 'console.log("wiped")'], risk: 'high' },
      },
    });
    await current.adapter.deliver(message('!hello "$(rm -rf /tmp/nothing); x"'));
    expect(current.adapter.lastText()).toBe('0:hello $(rm -rf /tmp/nothing); x');
    const used = await current.app.get<AuditLog>(AuditLog).list({ action: 'capability.used' });
    expect(used[0]?.detail).toMatchObject({ plugin: 'ops', capability: 'runbook', runbook: 'say-hello', exitCode: 0 });
  });

  it('refuses a high-risk runbook inside an invocation that was not approved', async () => {
    current = await startTestApp({
      plugins: { bundled: false, paths: [pluginFolders({ ops })], grants: { ops: 'all' } },
      runbooks: { 'say-hello': { argv: ['true'] }, 'wipe-disk': { argv: [process.execPath, '-e', 'console.log("wiped")'], risk: 'high' } },
    });
    await current.adapter.deliver(message('!wipe'));
    expect(current.adapter.lastText()).toBe('CapabilityDenied: runbook wipe-disk is high-risk and runs only inside an approved command; this call was not approved');
    const denied = await current.app.get<AuditLog>(AuditLog).list({ action: 'capability.denied' });
    expect(denied[0]?.detail).toMatchObject({ plugin: 'ops', capability: 'runbook' });
  });
});
