import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { OpsroomError } from '../../../src/core/errors.js';
import { code, commandsPlugin, noCapabilities, noContext, startHost } from './sandbox-fixture.js';

const invocation = {
  id: 'inv-1', command: 'hello', platform: 'local', channel: { id: 'local:channel:ops', name: 'ops' },
  user: { id: 'local:user:alice', name: 'Alice' }, roles: ['operator'], text: 'hello world',
};

describe('SandboxHost', () => {
  it('loads a plugin, reports its handlers and returns what a command returns', async () => {
    const { host, logger } = startHost();
    const report = await host.load(code('greeter', `
      export default {
        commands: {
          hello(ctx, args) { return 'hello ' + args.who; },
          async card() { return { text: 'done', card: { title: 'T' }, ephemeral: true }; },
          nothing() {},
        },
        async onWebhook() {},
        setup() {},
      };`));
    expect(report).toMatchObject({ commands: ['hello', 'card', 'nothing'], hasOnWebhook: true, hasOnSchedule: false, hasSetup: true });
    expect(report.loadMs).toBeGreaterThan(0);
    await expect(host.call('greeter', { kind: 'command', name: 'hello' }, noContext, { who: 'bob' }, noCapabilities)).resolves.toBe('hello bob');
    await expect(host.call('greeter', { kind: 'command', name: 'card' }, noContext, {}, noCapabilities))
      .resolves.toEqual({ text: 'done', card: { title: 'T' }, ephemeral: true });
    await expect(host.call('greeter', { kind: 'command', name: 'nothing' }, noContext, {}, noCapabilities)).resolves.toBeUndefined();
    logger.assertNoErrors();
  });

  it('gives the handler a frozen copy of the invocation, and none to webhooks', async () => {
    const { host } = startHost();
    await host.load(code('inv', `
      export default {
        commands: {
          who(ctx) {
            let changed = true;
            try { ctx.invocation.user.name = 'Mallory'; } catch { changed = false; }
            return { name: ctx.invocation.user.name, frozen: Object.isFrozen(ctx.invocation.channel), changed, ctxFrozen: Object.isFrozen(ctx) };
          },
        },
        onWebhook(ctx, req) { return { hasInvocation: 'invocation' in ctx, method: req.method, parsed: req.json(), query: req.query }; },
        onSchedule(ctx, job) { return job; },
      };`));
    await expect(host.call('inv', { kind: 'command', name: 'who' }, { invocation, secrets: {} }, {}, noCapabilities))
      .resolves.toEqual({ name: 'Alice', frozen: true, changed: false, ctxFrozen: true });
    const request = { method: 'POST', headers: { 'content-type': 'application/json' }, query: { a: '1' }, body: '{"ref":"main"}' };
    await expect(host.call('inv', { kind: 'webhook' }, noContext, request, noCapabilities))
      .resolves.toEqual({ hasInvocation: false, method: 'POST', parsed: { ref: 'main' }, query: { a: '1' } });
    const job = { name: 'nightly', cron: '0 7 * * 1-5', firedAt: '2025-01-01T07:00:00.000Z' };
    await expect(host.call('inv', { kind: 'schedule' }, noContext, job, noCapabilities)).resolves.toEqual(job);
  });

  it('hands the plugin its settings as a frozen ctx.config', async () => {
    const { host } = startHost();
    await host.load(commandsPlugin('configured', { read: 'read(ctx) { return [ctx.config.repo, Object.isFrozen(ctx.config.list)]; }' }));
    await expect(host.call('configured', { kind: 'command', name: 'read' }, { secrets: {}, config: { repo: 'acme/web', list: [1] } }, {}, noCapabilities))
      .resolves.toEqual(['acme/web', true]);
  });

  it('keeps module state between calls of one isolate', async () => {
    const { host } = startHost();
    await host.load(code('counter', 'let n = 0; export default { commands: { next() { n += 1; return n; } } };'));
    for (const expected of [1, 2, 3]) {
      await expect(host.call('counter', { kind: 'command', name: 'next' }, noContext, {}, noCapabilities)).resolves.toBe(expected);
    }
  });

  it('spreads plugins over the runners, least loaded first', async () => {
    const { host } = startHost({ runners: 2 });
    for (const name of ['p-one', 'p-two', 'p-three']) await host.load(commandsPlugin(name, { ok: 'ok() { return 1; }' }));
    const { runners } = host.stats();
    expect(runners).toHaveLength(2);
    expect(runners.map((runner) => runner.plugins)).toEqual([['p-one', 'p-three'], ['p-two']]);
    expect(new Set(runners.map((runner) => runner.pid)).size).toBe(2);
    expect(runners.every((runner) => runner.restarts === 0)).toBe(true);
  });

  it('starts runners with no environment beyond PATH and NODE_ENV', async () => {
    process.env.OPSROOM_TEST_SECRET = 'must-not-leak';
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('envcheck', { ok: 'ok() { return 1; }' }));
    const [runner] = host.stats().runners;
    const environ = readFileSync(`/proc/${runner?.pid}/environ`, 'utf8').split('\0').filter(Boolean).map((line) => line.split('=')[0]);
    // NODE_CHANNEL_* is how fork() hands the child its IPC channel.
    expect(environ.filter((name) => !name?.startsWith('NODE_CHANNEL_')).sort()).toEqual(['NODE_ENV', 'PATH']);
    delete process.env.OPSROOM_TEST_SECRET;
  });

  it('refuses a call to an unknown plugin or a handler the plugin does not have', async () => {
    const { host } = startHost();
    await host.load(commandsPlugin('small', { ok: 'ok() { return 1; }' }));
    await expect(host.call('absent', { kind: 'command', name: 'ok' }, noContext, {}, noCapabilities))
      .rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'plugin absent is not loaded' });
    await expect(host.call('small', { kind: 'command', name: 'nope' }, noContext, {}, noCapabilities))
      .rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'small has no command nope' });
    await expect(host.call('small', { kind: 'webhook' }, noContext, {}, noCapabilities))
      .rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'small has no onWebhook handler' });
    await expect(host.call('small', { kind: 'command', name: 'ok' }, { secrets: { A: 1 as unknown as string } }, {}, noCapabilities))
      .rejects.toThrow(/context.secrets.A must be a placeholder string/);
    await expect(host.call('small', { kind: 'command', name: 'ok' }, noContext, { big: 1n }, noCapabilities))
      .rejects.toThrow(/payload is not JSON-serializable/);
  });

  it('replaces a loaded plugin with a new version, and keeps the old one when the new one fails to load', async () => {
    const { host } = startHost();
    await host.load(commandsPlugin('versioned', { v: 'v() { return 1; }' }));
    await host.load({ ...commandsPlugin('versioned', { v: 'v() { return 2; }' }), version: '2.0.0' });
    await expect(host.call('versioned', { kind: 'command', name: 'v' }, noContext, {}, noCapabilities)).resolves.toBe(2);
    await expect(host.load(code('versioned', 'export default {'))).rejects.toMatchObject({ code: 'E_PLUGIN_LOAD' });
    await expect(host.call('versioned', { kind: 'command', name: 'v' }, noContext, {}, noCapabilities)).resolves.toBe(2);
  });

  it('unloads a plugin, failing its call in flight', async () => {
    const { host } = startHost();
    await host.load(commandsPlugin('leaving', { wait: 'wait(ctx) { return ctx.reply("x"); }' }));
    const pending = host.call('leaving', { kind: 'command', name: 'wait' }, noContext, {}, () => new Promise(() => undefined)).catch((error: unknown) => error);
    await new Promise((resolve) => setTimeout(resolve, 50));
    await host.unload('leaving');
    await expect(pending).resolves.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'leaving was unloaded while this call was running' });
    await expect(host.call('leaving', { kind: 'command', name: 'wait' }, noContext, {}, noCapabilities)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    expect(host.stats().runners.flatMap((runner) => runner.plugins)).toEqual([]);
    await expect(host.unload('leaving')).resolves.toBeUndefined();
  });

  it('is disposed once, kills its runners and then refuses work', async () => {
    const { host } = startHost();
    await host.load(commandsPlugin('brief', { ok: 'ok() { return 1; }' }));
    const pids = host.stats().runners.map((runner) => runner.pid);
    await Promise.all([host.dispose(), host.dispose()]);
    for (const pid of pids) expect(() => process.kill(pid, 0)).toThrow();
    const error = await host.call('brief', { kind: 'command', name: 'ok' }, noContext, {}, noCapabilities).catch((caught: unknown) => caught);
    expect(error).toBeInstanceOf(OpsroomError);
    expect(error).toMatchObject({ code: 'E_SHUTTING_DOWN' });
    await expect(host.load(commandsPlugin('late', { ok: 'ok() {}' }))).rejects.toMatchObject({ code: 'E_SHUTTING_DOWN' });
  });
});
