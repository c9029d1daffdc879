import { describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { Wishlist } from '../../../src/routing/wishlist.js';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp } from '../../support/test-app.js';

const BYTES_PLUGIN = new URL('../../../plugins/bytes', import.meta.url).pathname;
const KNOWLEDGE = { id: 'local:channel:knowledge', name: 'knowledge', isDirect: false };

function config(captureChannels: string[]): ConfigInput {
  return {
    plugins: { bundled: false, paths: [BYTES_PLUGIN], grants: { bytes: 'all' }, config: { bytes: { captureChannels } } },
    channels: { knowledge: { local: 'local:channel:knowledge' }, bytes: { local: 'local:channel:bytes' } },
  };
}

describe('link capture in the knowledge channel', () => {
  it('keeps links posted there quietly, once per normalised address, and bytes search finds them', async () => {
    const { adapter, app } = await startTestApp(config(['knowledge']));
    await adapter.deliver(message('great read on draining nodes: https://www.example.com/k8s/drain/?utm_source=slack #k8s', { as: 'alice', channel: KNOWLEDGE }));
    await adapter.deliver(message('same one <http://example.com/k8s/drain>, and https://blog.example.org/pg.', { as: 'bob', channel: KNOWLEDGE }));
    expect(adapter.sent).toEqual([]);
    await adapter.deliver(message('!bytes search drain', { as: 'alice' }));
    expect(adapter.lastText()).toMatch(/^1 link for "drain":\n1\. https:\/\/www\.example\.com\/k8s\/drain\/\?utm_source=slack #k8s — great read on draining nodes; same one, and \(alice, \d{4}-\d\d-\d\d, shared by 2\)$/);
    await adapter.deliver(message('!bytes search blog.example.org', { as: 'alice' }));
    expect(adapter.lastText()).toContain('https://blog.example.org/pg — same one, and (bob,');
    const captured = await app.get<AuditLog>(AuditLog).list({ action: 'command.executed', command: 'bytes capture' });
    expect(captured.map((r) => r.actor).sort()).toEqual(['local:user:alice', 'local:user:bob', 'local:user:bob']);
  });

  it('leaves other channels, people without a role and plain text alone, and puts nothing on the wishlist', async () => {
    const { adapter, app } = await startTestApp(config(['knowledge']));
    await adapter.deliver(message('https://example.com/elsewhere', { as: 'alice' }));
    await adapter.deliver(message('https://example.com/from-a-stranger', { as: 'mallory', channel: KNOWLEDGE }));
    await adapter.deliver(message('no link in here', { as: 'alice', channel: KNOWLEDGE }));
    expect(adapter.sent).toEqual([]);
    await adapter.deliver(message('!bytes', { as: 'alice' }));
    expect(adapter.lastText()).toMatch(/^0 links kept\./);
    expect(await app.get<Wishlist>(Wishlist).top(5)).toEqual([]);
  });

  it('captures nothing unless the operator names a capture channel', async () => {
    const { adapter } = await startTestApp(config([]));
    await adapter.deliver(message('https://example.com/a', { as: 'alice', channel: KNOWLEDGE }));
    await adapter.deliver(message('!bytes', { as: 'alice' }));
    expect(adapter.lastText()).toMatch(/^0 links kept\./);
  });
});
