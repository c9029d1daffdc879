import { describe, expect, it } from 'vitest';
import type { SandboxHostImpl } from '../../../src/sandbox/sandbox-host-impl.js';
import { commandsPlugin, noCapabilities, noContext, startHost } from './sandbox-fixture.js';

function ping(host: SandboxHostImpl, plugin: string): Promise<unknown> {
  return host.call(plugin, { kind: 'command', name: 'ping' }, noContext, {}, noCapabilities);
}

function pidOf(host: SandboxHostImpl, plugin: string): number {
  const runner = host.stats().runners.find((candidate) => candidate.plugins.includes(plugin));
  if (runner === undefined) throw new Error(`${plugin} is on no runner`);
  return runner.pid;
}

describe('SandboxHost runner supervision', () => {
  it('fails the calls of a killed runner clearly, restarts it with its plugins, and never disturbs the other runner', async () => {
    const { host, logger } = startHost({ runners: 2 });
    logger.expectErrors('sandbox runner exited unexpectedly');
    await host.load(commandsPlugin('alpha', { ping: 'ping() { return "alpha"; }', hang: 'async hang(ctx) { await ctx.reply("working"); }' }));
    await host.load(commandsPlugin('beta', { ping: 'ping() { return "beta"; }' }));
    const alphaPid = pidOf(host, 'alpha');
    expect(pidOf(host, 'beta')).not.toBe(alphaPid);

    let replied: () => void = () => undefined;
    const replying = new Promise<void>((resolve) => (replied = resolve));
    const inFlight = host.call('alpha', { kind: 'command', name: 'hang' }, noContext, {}, () => {
      replied();
      return new Promise(() => undefined);
    }).catch((error: unknown) => error);
    await replying;

    let stop = false;
    const betaAnswers: unknown[] = [];
    const betaLoop = (async () => {
      while (!stop) betaAnswers.push(await ping(host, 'beta'));
    })();

    const killedAt = performance.now();
    process.kill(alphaPid, 'SIGKILL');
    await expect(inFlight).resolves.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'alpha stopped unexpectedly (its sandbox process exited); try again' });
    await expect(ping(host, 'alpha')).resolves.toBe('alpha');
    const recoveryMs = performance.now() - killedAt;
    stop = true;
    await betaLoop;

    expect(betaAnswers.length).toBeGreaterThan(0);
    expect(betaAnswers.every((answer) => answer === 'beta')).toBe(true);
    await expect(ping(host, 'beta')).resolves.toBe('beta');
    const alphaRunner = host.stats().runners.find((runner) => runner.plugins.includes('alpha'));
    expect(alphaRunner).toMatchObject({ plugins: ['alpha'], restarts: 1 });
    expect(alphaRunner?.pid).not.toBe(alphaPid);
    expect(recoveryMs).toBeLessThan(5000);
    logger.info({ recoveryMs }, 'runner recovery measured');
  });

  it('kills and replaces a runner that stops answering, ending its call at the wall limit', async () => {
    const { host, logger } = startHost({ runners: 1 });
    logger.expectErrors(/did not end a call at its wall limit|stopped answering/);
    await host.load(commandsPlugin('frozen', { ping: 'ping() { return "pong"; }' }, { wallMs: 300 }));
    const pid = pidOf(host, 'frozen');
    process.kill(pid, 'SIGSTOP');
    await expect(ping(host, 'frozen')).rejects.toMatchObject({ code: 'E_PLUGIN_FAILED', message: 'frozen took longer than 300 ms and was stopped' });
    await expect(ping(host, 'frozen')).resolves.toBe('pong');
    expect(pidOf(host, 'frozen')).not.toBe(pid);
  });

  it('keeps a restarted plugin on its own runner slot and its state fresh', async () => {
    const { host, logger } = startHost({ runners: 2 });
    logger.expectErrors('sandbox runner exited unexpectedly');
    await host.load(commandsPlugin('stateful', { ping: 'ping() { globalThis.n = (globalThis.n ?? 0) + 1; return globalThis.n; }' }));
    await ping(host, 'stateful');
    await expect(ping(host, 'stateful')).resolves.toBe(2);
    const before = host.stats().runners.findIndex((runner) => runner.plugins.includes('stateful'));
    process.kill(pidOf(host, 'stateful'), 'SIGKILL');
    await expect.poll(() => ping(host, 'stateful').catch(() => 'failed'), { timeout: 10_000 }).toBe(1);
    expect(host.stats().runners.findIndex((runner) => runner.plugins.includes('stateful'))).toBe(before);
  });
});
