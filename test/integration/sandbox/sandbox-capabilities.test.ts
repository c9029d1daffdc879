import { describe, expect, it } from 'vitest';
import { OpsroomError } from '../../../src/core/errors.js';
import type { CapabilityCall } from '../../../src/sandbox/sandbox-host.js';
import { commandsPlugin, noContext, recordingHandler, startHost } from './sandbox-fixture.js';

function denied(message: string): Error {
  const error = new Error(message);
  error.name = 'CapabilityDenied';
  return error;
}

describe('SandboxHost capabilities', () => {
  it('carries reply, post, fetch, storage, runbook and schedule calls to the handler and the answers back', async () => {
    const { host, logger } = startHost({ runners: 1 });
    await host.load(commandsPlugin('ops', {
      run: `async run(ctx) {
        await ctx.reply('working');
        await ctx.post('builds', { text: 'started' });
        const res = await ctx.fetch('https://api.example.com/x', { method: 'POST', body: '{}' });
        await ctx.storage.set('last', { at: 1 });
        const last = await ctx.storage.get('last');
        await ctx.storage.delete('old');
        const keys = await ctx.storage.list('l');
        const book = await ctx.runbook('restart-app', { service: 'web' });
        await ctx.schedule('nightly', '0 7 * * *');
        await ctx.unschedule('weekly');
        return { status: res.status, ok: res.ok, header: res.headers['x-id'], text: await res.text(), json: await res.json(), last, keys, exit: book.exitCode };
      }`,
    }));
    const { handler, calls } = recordingHandler((call) => {
      if (call.capability === 'fetch') return { status: 201, headers: { 'x-id': '7' }, body: '{"id":7}' };
      if (call.method === 'get') return { at: 1 };
      if (call.method === 'list') return ['last'];
      if (call.capability === 'runbook') return { exitCode: 0, stdout: 'ok', stderr: '' };
      return undefined;
    });
    await expect(host.call('ops', { kind: 'command', name: 'run' }, noContext, {}, handler)).resolves.toEqual({
      status: 201, ok: true, header: '7', text: '{"id":7}', json: { id: 7 }, last: { at: 1 }, keys: ['last'], exit: 0,
    });
    expect(calls).toEqual<CapabilityCall[]>([
      { capability: 'reply', method: 'reply', args: ['working'] },
      { capability: 'post', method: 'post', args: ['builds', { text: 'started' }] },
      { capability: 'fetch', method: 'fetch', args: ['https://api.example.com/x', { method: 'POST', body: '{}' }] },
      { capability: 'storage', method: 'set', args: ['last', { at: 1 }] },
      { capability: 'storage', method: 'get', args: ['last'] },
      { capability: 'storage', method: 'delete', args: ['old'] },
      { capability: 'storage', method: 'list', args: ['l'] },
      { capability: 'runbook', method: 'runbook', args: ['restart-app', { service: 'web' }] },
      { capability: 'schedule', method: 'schedule', args: ['nightly', '0 7 * * *'] },
      { capability: 'schedule', method: 'unschedule', args: ['weekly'] },
    ]);
    logger.assertNoErrors();
  });

  it('rejects inside the isolate with the name and message of a denial, which the plugin may catch', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('netless', {
      caught: `async caught(ctx) {
        try { await ctx.fetch('https://evil.example.com'); return 'fetched'; }
        catch (error) { return [error.name, error.message, error instanceof Error, String(error.stack).includes('/work/')]; }
      }`,
      uncaught: 'async uncaught(ctx) { await ctx.fetch("https://evil.example.com"); }',
    }));
    const { handler } = recordingHandler(() => {
      throw denied('net host evil.example.com was not granted to this plugin');
    });
    await expect(host.call('netless', { kind: 'command', name: 'caught' }, noContext, {}, handler))
      .resolves.toEqual(['CapabilityDenied', 'net host evil.example.com was not granted to this plugin', true, false]);
    await expect(host.call('netless', { kind: 'command', name: 'uncaught' }, noContext, {}, handler)).rejects.toMatchObject({
      code: 'E_PLUGIN_FAILED', message: 'netless threw: CapabilityDenied: net host evil.example.com was not granted to this plugin',
    });
  });

  it('shows an E_CAPABILITY_DENIED OpsroomError from a provider as CapabilityDenied', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('poster', { p: 'async p(ctx) { try { await ctx.post("x", "y"); } catch (e) { return e.name + ": " + e.message; } }' }));
    const { handler } = recordingHandler(() => {
      throw new OpsroomError('E_CAPABILITY_DENIED', 'post to x was not granted');
    });
    await expect(host.call('poster', { kind: 'command', name: 'p' }, noContext, {}, handler)).resolves.toBe('CapabilityDenied: post to x was not granted');
  });

  it('returns granted secret placeholders and refuses the rest synchronously, telling the host', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('secrets', {
      read: `read(ctx) {
        const token = ctx.secret('GITHUB_TOKEN');
        let denial;
        try { ctx.secret('AWS_KEY'); } catch (error) { denial = [error.name, error.message]; }
        return { token, denial };
      }`,
    }));
    const { handler, calls } = recordingHandler();
    const context = { secrets: { GITHUB_TOKEN: '\u0000secret:GITHUB_TOKEN:abc\u0000' } };
    await expect(host.call('secrets', { kind: 'command', name: 'read' }, context, {}, handler)).resolves.toEqual({
      token: '\u0000secret:GITHUB_TOKEN:abc\u0000',
      denial: ['CapabilityDenied', 'secret AWS_KEY was not granted to this plugin'],
    });
    expect(calls).toEqual([{ capability: 'secret', method: 'denied', args: ['AWS_KEY'] }]);
  });

  it('sends log lines as fire-and-forget calls', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('chatty', { talk: 'talk(ctx) { const r = ctx.log.info("hello", { n: 1 }); ctx.log.error("bad"); return r === undefined; }' }));
    const { handler, calls } = recordingHandler();
    await expect(host.call('chatty', { kind: 'command', name: 'talk' }, noContext, {}, handler)).resolves.toBe(true);
    await expect.poll(() => calls.length).toBe(2);
    expect(calls).toEqual([
      { capability: 'log', method: 'info', args: ['hello', { n: 1 }] },
      { capability: 'log', method: 'error', args: ['bad'] },
    ]);
  });

  it('refuses arguments that are not JSON-like or larger than 1 MiB, and ctx use after the call ended', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('sloppy', {
      bad: `async bad(ctx) {
        const out = [];
        for (const args of [[1n], ['x'.repeat(1024 * 1024 + 1)]]) {
          try { await ctx.reply(...args); } catch (error) { out.push(error.name + ': ' + error.message); }
        }
        return out;
      }`,
      late: 'late(ctx) { globalThis.kept = ctx; }',
      reuse: 'async reuse() { try { await globalThis.kept.reply("again"); } catch (e) { return e.message; } }',
    }));
    const { handler, calls } = recordingHandler();
    await expect(host.call('sloppy', { kind: 'command', name: 'bad' }, noContext, {}, handler)).resolves.toEqual([
      'TypeError: the arguments of ctx.reply must be JSON-like values: Do not know how to serialize a BigInt',
      'RangeError: the arguments of ctx.reply are larger than 1 MiB',
    ]);
    await host.call('sloppy', { kind: 'command', name: 'late' }, noContext, {}, handler);
    await expect(host.call('sloppy', { kind: 'command', name: 'reuse' }, noContext, {}, handler)).resolves.toBe('ctx.reply was used after the call had ended');
    expect(calls).toEqual([]);
  });

  it('turns a handler answer that cannot be copied into a rejection', async () => {
    const { host, logger } = startHost({ runners: 1 });
    logger.expectErrors('not JSON-serializable');
    await host.load(commandsPlugin('reader', { r: 'async r(ctx) { try { await ctx.storage.get("k"); } catch (e) { return e.message; } }' }));
    const { handler } = recordingHandler(() => ({ big: 1n }));
    await expect(host.call('reader', { kind: 'command', name: 'r' }, noContext, {}, handler))
      .resolves.toBe('ctx.storage returned a value that cannot be copied into the sandbox');
  });

  it('runs timers while the call is in flight', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(commandsPlugin('timed', {
      wait: `async wait() {
        const order = [];
        await new Promise((resolve) => setTimeout(() => { order.push('timeout'); resolve(); }, 20));
        let ticks = 0;
        await new Promise((resolve) => { const id = setInterval(() => { ticks += 1; if (ticks === 3) { clearInterval(id); resolve(); } }, 5); });
        queueMicrotask(() => order.push('microtask'));
        await null;
        return [order, ticks];
      }`,
    }));
    await expect(host.call('timed', { kind: 'command', name: 'wait' }, noContext, {}, recordingHandler().handler)).resolves.toEqual([['timeout', 'microtask'], 3]);
  });
});
