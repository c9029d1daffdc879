import { afterEach, describe, expect, it } from 'vitest';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const rbac = {
  roles: { operator: { permissions: ['*'] }, viewer: { permissions: ['use:status'] } },
  bindings: [{ principal: 'local:user:alice', roles: ['operator'] }, { principal: 'local:user:vera', roles: ['viewer'] }],
};

async function withPlugins(): Promise<TestApp> {
  current = await startTestApp({ rbac });
  const registry = current.app.get<CommandRegistry>(CommandRegistry);
  registry.register('deploy', {
    name: 'deploy', description: 'Deploy a service', args: [
      { name: 'service', type: 'string', required: true },
      { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
      { name: 'ref', type: 'string', flag: true, default: 'main' },
    ], permission: 'deploy', risk: 'high',
  }, async () => 'ok');
  registry.register('status', { name: 'status', description: 'Service health', args: [], permission: 'use:status', risk: 'low' }, async () => 'up');
  return current;
}

describe('help', () => {
  it('lists only what the caller may run, grouped by plugin, core first', async () => {
    const { adapter } = await withPlugins();
    await adapter.deliver(message('!help'));
    const all = adapter.lastText();
    expect(all.indexOf('**core**')).toBeLessThan(all.indexOf('**deploy**'));
    expect(all).toContain('`deploy` Deploy a service (needs approval)');
    expect(all).toContain('`status` Service health');
    await adapter.deliver(message('!help', { as: 'vera' }));
    const limited = adapter.lastText();
    expect(limited).toContain('`status` Service health');
    expect(limited).not.toContain('deploy');
    expect(limited).not.toContain('`audit`');
    expect(limited).toContain('`ping`');
  });

  it('explains one command: usage, arguments, risk and permission', async () => {
    const { adapter } = await withPlugins();
    await adapter.deliver(message('!help deploy'));
    expect(adapter.lastText()).toBe([
      '`deploy` (deploy): Deploy a service',
      'usage: deploy <service> <env:staging|prod> [--ref <string>]',
      'arguments:',
      '  <service> (string; required)',
      '  <env> (one of staging|prod; required)',
      '  --ref (string; optional, default main)',
      'risk: high; permission: deploy',
    ].join('\n'));
  });

  it('suggests close names for a command it does not know', async () => {
    const { adapter } = await withPlugins();
    await adapter.deliver(message('!help deplyo'));
    expect(adapter.lastText()).toBe('There is no command `deplyo`. Did you mean `deploy`?');
  });
});

describe('whoami, ping, wishlist and audit', () => {
  it('shows identity and roles', async () => {
    current = await startTestApp();
    await current.adapter.deliver(message('!whoami', { as: 'bob' }));
    expect(current.adapter.lastText()).toBe('You are bob (local:user:bob) on local.\nRoles: admin, approver');
  });

  it('ranks the wishlist by count with who asked', async () => {
    current = await startTestApp();
    const { adapter } = current;
    for (const [text, as] of [['!rollback web', 'alice'], ['!rollback api', 'bob'], ['!flush-cache', 'alice'], ['!rollback', 'alice']] as const) {
      await adapter.deliver(message(text, { as }));
    }
    await adapter.deliver(message('!wishlist'));
    const lines = adapter.lastText().split('\n');
    expect(lines[1]).toMatch(/^1\. `rollback` asked 3× by alice, bob, last \d{4}-\d\d-\d\d \d\d:\d\d UTC$/);
    expect(lines[2]).toMatch(/^2\. `flush-cache` asked 1× by alice/);
  });

  it('shows audit entries filtered by user and command', async () => {
    current = await startTestApp();
    const { adapter } = current;
    await adapter.deliver(message('!ping', { as: 'bob' }));
    await adapter.deliver(message('!whoami', { as: 'alice' }));
    await adapter.deliver(message('!audit 5 --user bob'));
    const byBob = adapter.lastText().split('\n').slice(1);
    expect(byBob).toHaveLength(2);
    expect(byBob.every((l) => l.includes('local:user:bob') && l.includes('`ping`'))).toBe(true);
    await adapter.deliver(message('!audit --command whoami'));
    expect(adapter.lastText().split('\n').slice(1).every((l) => l.includes('`whoami`'))).toBe(true);
    await adapter.deliver(message('!audit --user nobody'));
    expect(adapter.lastText()).toBe('No audit entries match.');
  });
});
