import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { Wishlist } from '../../../src/routing/wishlist.js';
import { actor, message } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

async function app(config = {}): Promise<TestApp> {
  current = await startTestApp(config);
  return current;
}

describe('Router', () => {
  it('answers a prefixed command as a reply to the message that carried it', async () => {
    const { adapter } = await app();
    await adapter.deliver(message('!ping', { messageId: 'm-1' }));
    expect(adapter.sent).toEqual([expect.objectContaining({ kind: 'reply', replyTo: 'm-1', channelId: 'local:channel:ops' })]);
    expect(adapter.lastText()).toBe('pong');
  });

  it('answers a mention and a direct message without the prefix', async () => {
    const { adapter } = await app();
    await adapter.deliver(message('ping', { mentionsBot: true }));
    await adapter.deliver(message('ping', { channel: { id: 'local:channel:dm-alice', isDirect: true } }));
    expect(adapter.texts()).toEqual(['pong', 'pong']);
  });

  it('ignores messages that are not addressed to the bot, and messages from bots', async () => {
    const { adapter } = await app();
    await adapter.deliver(message('ping'));
    await adapter.deliver(message('!ping', { actor: { ...actor('robot'), isBot: true } }));
    expect(adapter.sent).toEqual([]);
  });

  it('uses the configured prefix', async () => {
    const { adapter } = await app({ bot: { prefix: '>>' } });
    await adapter.deliver(message('!ping'));
    await adapter.deliver(message('>>ping'));
    expect(adapter.texts()).toEqual(['pong']);
  });

  it('handles a platform event delivered twice only once', async () => {
    const { adapter } = await app();
    const event = message('!ping', { id: 'duplicate-1' });
    await adapter.deliver(event);
    await adapter.deliver({ ...event });
    expect(adapter.texts()).toEqual(['pong']);
  });

  it('answers an unknown command with close matches and records it on the wishlist', async () => {
    const { adapter, app: running } = await app();
    await adapter.deliver(message('!pnig now'));
    expect(adapter.lastText()).toContain('There is no command `pnig`');
    expect(adapter.lastText()).toContain('`ping`');
    const top = await running.get<Wishlist>(Wishlist).top(5);
    expect(top).toEqual([expect.objectContaining({ command: 'pnig', count: 1, askers: ['alice'] })]);
  });

  it('answers a bad call with the exact problem and the usage line', async () => {
    const { adapter } = await app();
    await adapter.deliver(message('!audit ten'));
    expect(adapter.lastText()).toMatch(/n must be a whole number \(got "ten"\)/);
    expect(adapter.lastText()).toContain('usage: audit [n] [--user <user>] [--command <name>]');
    await adapter.deliver(message('!help "unclosed'));
    expect(adapter.lastText()).toMatch(/quote/i);
  });

  it('denies a command whose permission the caller lacks, says why, and audits it', async () => {
    const { adapter, app: running } = await app({ rbac: { roles: { viewer: { permissions: ['core:*'] } }, bindings: [{ principal: 'local:user:carol', roles: ['viewer'] }] } });
    await adapter.deliver(message('!audit', { as: 'carol' }));
    expect(adapter.lastText()).toBe('Denied: audit needs the permission audit:read and none of your roles (viewer) grants it; ask an admin for a role');
    const denied = await running.get<AuditLog>(AuditLog).list({ action: 'command.denied' });
    expect(denied).toEqual([expect.objectContaining({ actor: 'local:user:carol', command: 'audit', outcome: 'denied' })]);
  });

  it('lets a caller with no role run read-only built-ins only', async () => {
    const { adapter } = await app({ rbac: { roles: {}, bindings: [] } });
    await adapter.deliver(message('!whoami', { as: 'mallory' }));
    expect(adapter.lastText()).toContain('Roles: none');
    await adapter.deliver(message('!audit', { as: 'mallory' }));
    expect(adapter.lastText()).toMatch(/^Denied: audit needs the permission audit:read and you have no role/);
  });

  it('writes received and executed entries with actor, channel, arguments, outcome and duration', async () => {
    const { adapter, app: running } = await app();
    await adapter.deliver(message('!wishlist 3'));
    const entries = await running.get<AuditLog>(AuditLog).list({ command: 'wishlist' });
    expect(entries.map((e) => e.action)).toEqual(['command.executed', 'command.received']);
    expect(entries[0]).toMatchObject({
      actor: 'local:user:alice', platform: 'local', channel: 'local:channel:ops', args: { limit: 3 }, outcome: 'succeeded',
    });
    expect(typeof entries[0]?.durationMs).toBe('number');
  });

  it('dispatches two-word commands and aliases through the registry map', async () => {
    const { adapter, app: running } = await app();
    const registry = running.get<CommandRegistry>(CommandRegistry);
    registry.register('demo', { name: 'deploy status', description: 'latest runs', args: [], permission: 'deploy', risk: 'low', aliases: ['ds'] }, async () => 'all green');
    registry.register('demo', { name: 'deploy', description: 'deploys', args: [{ name: 'service', type: 'string', required: true }], permission: 'deploy', risk: 'low' }, async (inv) => `deploying ${String(inv.args.service)}`);
    await adapter.deliver(message('!deploy status'));
    await adapter.deliver(message('!ds'));
    await adapter.deliver(message('!deploy web'));
    expect(adapter.texts()).toEqual(['all green', 'all green', 'deploying web']);
  });

  it('closes wishlist requests when a command of that name appears', async () => {
    const { adapter, app: running } = await app();
    await adapter.deliver(message('!frobnicate'));
    running.get<CommandRegistry>(CommandRegistry).register('demo', { name: 'frobnicate', description: 'f', args: [], permission: 'x', risk: 'low' }, async () => 'ok');
    await new Promise((r) => setTimeout(r, 50));
    expect(await running.get<Wishlist>(Wishlist).top(5)).toEqual([]);
  });

  it('turns a failing command into a reference for the user and an error for the operators', async () => {
    const { adapter, app: running, logger } = await app();
    logger.expectErrors('command failed');
    running.get<CommandRegistry>(CommandRegistry).register('core', { name: 'explode', description: 'x', args: [], permission: 'x', risk: 'low' }, async () => {
      throw new Error('database password is hunter2');
    });
    await adapter.deliver(message('!explode'));
    expect(adapter.lastText()).toMatch(/^Something went wrong inside opsroom \(reference /);
    expect(adapter.lastText()).not.toContain('hunter2');
    const failed = await running.get<AuditLog>(AuditLog).list({ action: 'command.failed' });
    expect(failed[0]).toMatchObject({ command: 'explode', outcome: 'failed', detail: { code: 'E_INTERNAL' } });
  });
});
