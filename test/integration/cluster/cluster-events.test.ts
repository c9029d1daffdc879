import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { message } from '../../fakes/fake-adapter.js';
import { openClusterBed, startCli, writeEchoPlugin } from '../../support/cluster-bed.js';
import type { SentLine } from '../../support/opsroom-process.js';
import { startProcess, type OpsroomProcess } from '../approvals/opsroom-processes.js';

/** Sends a command and resolves with the reply to it. */
async function ask(gateway: OpsroomProcess, text: string, as: string): Promise<string> {
  const event = message(text, { as });
  gateway.deliver(event);
  const reply = await gateway.waitFor((line: SentLine) => line.kind === 'reply' && line.replyTo === event.messageId, 30_000);
  return reply.text ?? '';
}

describe('changes made on one instance', () => {
  it('reach every instance: a plugin grant reloads the plugin on every worker, a role grant reloads the gateway\'s roles', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    // Nothing granted: the echo plugin asks for storage and fails without it.
    const config = bed.config({ plugins: { paths: [writeEchoPlugin(bed.dir)], grants: {} } });
    const file = bed.writeConfig('opsroom', config);
    const workers = [1, 2].map((n) => startCli('worker', file, { logFile: join(bed.dir, `worker${n}.log`) }));
    onTestFinished(async () => { await Promise.all(workers.map((w) => w.kill('SIGKILL'))); });
    await bed.waitForNodes({ workers: 2 });
    const gateway = await startProcess({ ...config, cluster: { ...config.cluster, role: 'gateway' } });
    await bed.waitForNodes({ gateways: 1, workers: 2 });
    /** The start markers of the jobs run so far; each holds the worker that ran the job. */
    const startedJobs = () => bed.redis.keys(`${bed.prefix}:started:*`);

    for (let i = 0; i < 4; i++) expect(await ask(gateway, `!echo before${i}`, 'alice')).toContain('storage');
    expect(await ask(gateway, '!plugin grant echo storage', 'bob')).toMatch(/storage/);
    // Each worker answers some of these; every one of them must have reloaded the plugin with its new grant.
    const startedBefore = new Set(await startedJobs());
    for (let i = 0; i < 12; i++) expect(await ask(gateway, `!echo after${i}`, 'alice')).toBe(`echo after${i}`);
    const ranBy = new Set<string>();
    for (const key of await startedJobs()) if (!startedBefore.has(key)) ranBy.add(await bed.redis.get(key) ?? '');
    expect(ranBy.size).toBe(2);

    expect(await ask(gateway, '!echo carol', 'carol')).toMatch(/^Denied: echo needs the permission use:echo/);
    expect(await ask(gateway, '!roles grant carol operator', 'bob')).toContain('carol');
    // The grant ran on a worker; the gateway's own gate lets carol through only once it reloaded its roles.
    await expect.poll(async () => ask(gateway, '!echo carol', 'carol'), { timeout: 10_000, interval: 200 }).toBe('echo carol');
    await gateway.stop();
  }, 120_000);
});
