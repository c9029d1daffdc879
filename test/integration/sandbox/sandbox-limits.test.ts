import { describe, expect, it } from 'vitest';
import type { SandboxHostImpl } from '../../../src/sandbox/sandbox-host-impl.js';
import { commandsPlugin, noContext, recordingHandler, startHost } from './sandbox-fixture.js';

// Module state tells a fresh isolate (count restarts at 1) from the old one.
const COUNTER = 'let count = 0;';
const countCommand = 'count() { count += 1; return count; }';

function run(host: SandboxHostImpl, plugin: string, name: string, payload: unknown = {}): Promise<unknown> {
  return host.call(plugin, { kind: 'command', name }, noContext, payload, recordingHandler().handler);
}

describe('SandboxHost limits', () => {
  it.each([
    ['a synchronous infinite loop', 'spin() { for (;;) {} }'],
    ['an endless await loop', 'async spin() { for (;;) await Promise.resolve(); }'],
    ['a never-ending promise chain', 'spin() { const next = () => Promise.resolve().then(next); return next(); }'],
    ['a never-ending chain of busy timers', 'spin() { return new Promise(() => { const busy = () => { const end = Date.now() + 5; while (Date.now() < end) {} setTimeout(busy, 1); }; busy(); }); }'],
  ])('ends %s with the CPU message and answers the next call from a fresh isolate', async (_, spin) => {
    const { host, logger } = startHost({ runners: 1 });
    await host.load(commandsPlugin('looper', { spin, count: countCommand }, { cpuMs: 100 }, COUNTER));
    await expect(run(host, 'looper', 'count')).resolves.toBe(1);
    await expect(run(host, 'looper', 'spin')).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'looper used more than 100 ms of CPU and was stopped' });
    await expect(run(host, 'looper', 'count')).resolves.toBe(1);
    expect(host.stats().runners[0]?.restarts).toBe(0);
    logger.assertNoErrors();
  });

  it('ends a call that waits on a capability that never answers, at its wall limit, keeping the isolate', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('waiter', { wait: 'async wait(ctx) { await ctx.fetch("https://slow.example.com"); }', count: countCommand }, { wallMs: 400 }, COUNTER));
    await expect(run(host, 'waiter', 'count')).resolves.toBe(1);
    const started = performance.now();
    const stuck = host.call('waiter', { kind: 'command', name: 'wait' }, noContext, {}, () => new Promise(() => undefined));
    await expect(stuck).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'waiter took longer than 400 ms and was stopped' });
    expect(performance.now() - started).toBeGreaterThanOrEqual(390);
    await expect(run(host, 'waiter', 'count')).resolves.toBe(2);
  });

  it('ends a call that outlives its wall limit with the default message', async () => {
    const { host } = startHost({ runners: 1, defaultLimits: { memoryMb: 32, cpuMs: 200, wallMs: 1000 } });
    await host.load({ name: 'sleepy', version: '1', source: 'export default { commands: { nap() { return new Promise((r) => setTimeout(r, 60000)); } } };', limits: undefined as never });
    await expect(run(host, 'sleepy', 'nap')).rejects.toMatchObject({ message: 'sleepy took longer than 1s and was stopped' });
  });

  it('ends a memory bomb with the memory message and answers the next call', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('bomb', { blow: 'blow() { const keep = []; for (;;) keep.push(new Array(100000).fill(1.5)); }', count: countCommand }, { memoryMb: 16, cpuMs: 5000 }, COUNTER));
    await expect(run(host, 'bomb', 'count')).resolves.toBe(1);
    await expect(run(host, 'bomb', 'blow')).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'bomb ran out of memory (limit 16 MB) and was stopped' });
    await expect(run(host, 'bomb', 'count')).resolves.toBe(1);
  });

  it('drops a return value over 1 MiB', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('huge', {
      big: 'big() { return "x".repeat(1024 * 1024 + 1); }',
      wide: 'wide() { return "é".repeat(600 * 1024); }',
      fits: 'fits() { return "x".repeat(1000 * 1000); }',
    }));
    await expect(run(host, 'huge', 'big')).rejects.toMatchObject({ message: 'huge returned more than 1 MiB; the reply was dropped' });
    await expect(run(host, 'huge', 'wide')).rejects.toMatchObject({ message: 'huge returned more than 1 MiB; the reply was dropped' });
    await expect(run(host, 'huge', 'fits')).resolves.toHaveLength(1000 * 1000);
  });

  it('refuses a flood of capability calls beyond the in-flight cap, without sending them', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('flood', {
      go: `async go(ctx) {
        const results = await Promise.allSettled(Array.from({ length: 100000 }, (_, i) => ctx.storage.get('k' + i)));
        const refused = results.filter((r) => r.status === 'rejected');
        return [results.length - refused.length, refused.length, refused[0].reason.name, refused[0].reason.message];
      }`,
    }, { cpuMs: 5000 }));
    const { handler, calls } = recordingHandler(() => 1);
    await expect(run2(host, handler)).resolves.toEqual([1000, 99000, 'RangeError', 'too many capability calls in flight (limit 1000); await some before starting more']);
    expect(calls).toHaveLength(1000);
  });

  it('survives a flood of 100k promises', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('promises', { go: 'async go() { const all = await Promise.all(Array.from({ length: 100000 }, (_, i) => Promise.resolve(i))); return all.length; }' }, { cpuMs: 5000 }));
    await expect(run(host, 'promises', 'go')).resolves.toBe(100000);
  });

  it('reports deep recursion as a throw', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('deep', { dive: 'dive() { const f = (n) => f(n + 1) + 1; return f(0); }', count: countCommand }, {}, COUNTER));
    await expect(run(host, 'deep', 'count')).resolves.toBe(1);
    await expect(run(host, 'deep', 'dive')).rejects.toMatchObject({ message: 'deep threw: RangeError: Maximum call stack size exceeded' });
    await expect(run(host, 'deep', 'count')).resolves.toBe(2);
  });

  it.each([
    ['an Error', 'throw new Error("boom")', 'thrower threw: boom'],
    ['a TypeError', 'null.x', "thrower threw: TypeError: Cannot read properties of null (reading 'x')"],
    ['a number', 'throw 42', 'thrower threw: 42'],
    ['a string', 'throw "plain words"', 'thrower threw: plain words'],
    ['an object with a toString', 'throw { toString() { for (;;) {} } }', 'thrower threw: an object {}'],
    ['an object that cannot be printed', 'const o = {}; o.self = o; throw o', 'thrower threw: an object that cannot be printed'],
    ['a long string', 'throw "y".repeat(5000)', `thrower threw: ${'y'.repeat(500)}…`],
    ['undefined', 'throw undefined', 'thrower threw: undefined'],
  ])('describes a throw of %s safely', async (_, statement, message) => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('thrower', { go: `async go() { ${statement}; }` }));
    await expect(run(host, 'thrower', 'go')).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message });
  });

  it('logs a promise rejection the plugin left unhandled, and keeps its isolate and its call', async () => {
    const { host, logger } = startHost({ runners: 1 });
    await host.load(commandsPlugin('careless', {
      go: 'async go(ctx) { Promise.reject(new Error("forgotten")); ctx.reply("x"); return "answered"; }',
      count: countCommand,
    }, {}, COUNTER));
    await expect(run(host, 'careless', 'count')).resolves.toBe(1);
    const { handler } = recordingHandler(() => {
      throw new Error('reply failed');
    });
    await expect(host.call('careless', { kind: 'command', name: 'go' }, noContext, {}, handler)).resolves.toBe('answered');
    await expect(run(host, 'careless', 'count')).resolves.toBe(2);
    await expect.poll(() => logger.entries().find((entry) => entry.msg === 'plugin code left a promise rejection unhandled')).toMatchObject({ plugin: 'careless' });
  });

  it('caps the log lines of one call', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('noisy', { go: 'go(ctx) { for (let i = 0; i < 5000; i += 1) ctx.log.info("line " + i); return "done"; }' }));
    const { handler, calls } = recordingHandler();
    await expect(host.call('noisy', { kind: 'command', name: 'go' }, noContext, {}, handler)).resolves.toBe('done');
    await expect.poll(() => calls.length).toBe(1001);
    expect(calls[1000]).toEqual({ capability: 'log', method: 'warn', args: ['further log lines of this call were dropped (limit 1000)'] });
  });

  it('tells the other calls in flight why their isolate was stopped', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('shared', { wait: 'async wait(ctx) { await ctx.reply("x"); }', spin: 'spin() { for (;;) {} }' }, { cpuMs: 100 }));
    const waiting = host.call('shared', { kind: 'command', name: 'wait' }, noContext, {}, () => new Promise(() => undefined)).catch((error: unknown) => error);
    await expect(run(host, 'shared', 'spin')).rejects.toMatchObject({ message: 'shared used more than 100 ms of CPU and was stopped' });
    await expect(waiting).resolves.toMatchObject({ message: 'shared was stopped because another of its calls used more than 100 ms of CPU; try again' });
  });
});

function run2(host: SandboxHostImpl, handler: Parameters<SandboxHostImpl['call']>[4]): Promise<unknown> {
  return host.call('flood', { kind: 'command', name: 'go' }, noContext, {}, handler);
}
