import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

async function start(): Promise<TestApp> {
  current = await startTestApp({
    plugins: { bundled: false },
    channels: { ops: { local: 'local:channel:ops', discord: 'discord:channel:123' } },
    rbac: {
      roles: { operator: { permissions: ['deploy', 'db:*'] }, releaser: { permissions: ['deploy', 'deploy:prod'] } },
      bindings: [{ principal: 'local:user:alice', roles: ['operator'] }, { principal: 'local:user:rita', roles: ['releaser'] }],
      rules: [
        { command: 'deploy', args: { env: 'prod' }, permission: 'deploy:prod' },
        { command: 'db upgrade', channels: ['ops'] },
      ],
    },
  });
  const registry = current.app.get<CommandRegistry>(CommandRegistry);
  registry.register('deploy', {
    name: 'deploy', description: 'Deploy', permission: 'deploy', risk: 'low', args: [
      { name: 'service', type: 'string', required: true },
      { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
    ],
  }, async (invocation) => `deploying ${String(invocation.args.service)} to ${String(invocation.args.env)}`);
  registry.register('db', { name: 'db upgrade', description: 'Upgrade', permission: 'db:upgrade', risk: 'low', args: [] }, async () => 'upgraded');
  return current;
}

describe('rbac rules', () => {
  it('asks for deploy:prod only when env=prod, and audits the denial with its reason', async () => {
    const app = await start();
    await app.adapter.deliver(message('!deploy web staging', { as: 'alice' }));
    expect(app.adapter.lastText()).toBe('deploying web to staging');
    await app.adapter.deliver(message('!deploy web Prod', { as: 'alice' }));
    const reason = 'deploy with env=prod needs the permission deploy:prod and none of your roles (operator) grants it; ask an admin for a role';
    expect(app.adapter.lastText()).toBe(`Denied: ${reason}`);
    await app.adapter.deliver(message('!deploy web prod', { as: 'rita' }));
    expect(app.adapter.lastText()).toBe('deploying web to prod');
    expect(await app.app.get<AuditLog>(AuditLog).list({ action: 'command.denied' })).toEqual([
      expect.objectContaining({ actor: 'local:user:alice', command: 'deploy', args: { service: 'web', env: 'prod' }, detail: { reason } }),
    ]);
  });

  it('runs db upgrade only in the channel the ops alias names', async () => {
    const app = await start();
    await app.adapter.deliver(message('!db upgrade', { as: 'alice' }));
    expect(app.adapter.lastText()).toBe('upgraded');
    await app.adapter.deliver(message('!db upgrade', { as: 'alice', channel: { id: 'local:channel:builds', name: 'builds', isDirect: false } }));
    expect(app.adapter.lastText()).toBe('Denied: db upgrade may only run in #ops; this is #builds');
  });
});
