import { join } from 'node:path';
import { describe, expect, it, onTestFinished } from 'vitest';
import { ApprovalStoreImpl } from '../../../src/approvals/approval-store.js';
import { createLogger } from '../../../src/core/logger.js';
import { openDatabase } from '../../../src/storage/database.js';
import { message } from '../../fakes/fake-adapter.js';
import { TEST_DATABASE_URL } from '../../support/backends.js';
import { openClusterBed, startCli, writeEchoPlugin } from '../../support/cluster-bed.js';
import type { SentLine } from '../../support/opsroom-process.js';
import { startProcess } from '../approvals/opsroom-processes.js';

const isRequest = (line: SentLine): boolean => line.kind === 'reply' && (line.reactions?.length ?? 0) > 0;

function requestIdOf(line: SentLine): string {
  const id = /- id ([a-z0-9]{6})$/.exec(line.text ?? '')?.[1];
  if (!id) throw new Error(`the request names no id: ${line.text ?? ''}`);
  return id;
}

describe('approvals across gateways', () => {
  it('releases a request made through one gateway when it is approved through the other, answering where it was asked', async () => {
    const bed = await openClusterBed();
    onTestFinished(() => bed.cleanup());
    const config = bed.config({ plugins: { paths: [writeEchoPlugin(bed.dir)], grants: { echo: 'all' } }, approvals: { risk: { echo: 'high' } } });
    const worker = startCli('worker', bed.writeConfig('worker', config), { logFile: join(bed.dir, 'worker.log') });
    onTestFinished(async () => { await worker.kill('SIGKILL'); });
    await bed.waitForNodes({ workers: 1 });
    const asked = await startProcess({ ...config, cluster: { ...config.cluster, role: 'gateway' } });
    const approving = await startProcess({ ...config, cluster: { ...config.cluster, role: 'gateway' } });
    await bed.waitForNodes({ gateways: 2, workers: 1 });

    asked.deliver(message('!echo shipped', { as: 'alice' }));
    const request = await asked.waitFor(isRequest, 30_000);
    const id = requestIdOf(request);
    approving.deliver(message(`!approve ${id}`, { as: 'bob' }));

    const ran = await asked.waitFor((line) => line.kind === 'reply' && line.text === 'echo shipped', 30_000);
    expect(ran.replyTo).toBe(request.messageId);
    await asked.waitFor((line) => line.kind === 'update' && line.messageId === request.messageId && (line.text ?? '').endsWith('approved by bob - succeeded'), 30_000);
    expect(asked.sent.filter((line) => line.kind === 'update').map((line) => line.text?.split(' - ').pop())).toEqual(['running', 'succeeded']);
    const approved = await approving.waitFor((line) => line.kind === 'reply', 30_000);
    expect(approved.text).toContain(`You approved ${id}, the last approval it needed`);
    expect(approving.sent.filter((line) => line.text === 'echo shipped')).toEqual([]);
    expect(approving.sent.filter((line) => line.kind === 'update')).toEqual([]);

    const database = await openDatabase({ sqlitePath: ':unused:', databaseUrl: TEST_DATABASE_URL, schema: bed.schema }, createLogger({ level: 'silent' }));
    onTestFinished(() => database.close());
    expect(await new ApprovalStoreImpl(database).get(id)).toMatchObject({ state: 'succeeded' });
    const executed = await database.db.selectFrom('audit_log').select('invocation_id').where('action', '=', 'command.executed').where('command', '=', 'echo').execute();
    expect(executed).toHaveLength(1);
    await Promise.all([asked.stop(), approving.stop()]);
  }, 120_000);
});
