import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { CommandRegistry } from '../../../src/routing/command-registry.js';
import { message } from '../../fakes/fake-adapter.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

let current: TestApp | undefined;
afterEach(() => current?.logger.assertNoErrors());

const rbac = {
  roles: {
    admin: { description: 'manages everything', permissions: ['*'] },
    operator: { permissions: ['*', '!rbac:*'] },
    viewer: { permissions: ['use:status'] },
  },
  bindings: [{ principal: 'local:user:bob', roles: ['admin'] }, { principal: 'local:user:alice', roles: ['operator'] }],
};

async function start(dir?: string): Promise<TestApp> {
  current = await startTestApp({ rbac, plugins: { bundled: false } }, dir === undefined ? {} : { dir });
  current.app.get<CommandRegistry>(CommandRegistry)
    .register('status', { name: 'status', description: 'Service health', args: [], permission: 'use:status', risk: 'low' }, async () => 'up');
  return current;
}

async function say(app: TestApp, text: string, as: string): Promise<string> {
  await app.adapter.deliver(message(text, { as }));
  return app.adapter.lastText();
}

describe('roles in chat', () => {
  it('grants a role, audits it, and the new holder may run what it grants at once', async () => {
    const app = await start();
    expect(await say(app, '!status', 'carol')).toMatch(/^Denied: status needs the permission use:status and you have no role/);
    expect(await say(app, '!roles grant carol viewer', 'bob')).toBe('Granted viewer to local:user:carol.');
    expect(await say(app, '!status', 'carol')).toBe('up');
    expect(await say(app, '!roles grant carol viewer', 'bob')).toBe('local:user:carol already holds viewer; nothing changed.');
    const entries = await app.app.get<AuditLog>(AuditLog).list({ action: 'rbac.role.granted' });
    expect(entries).toEqual([expect.objectContaining({
      actor: 'local:user:bob', platform: 'local', channel: 'local:channel:ops', outcome: 'succeeded',
      detail: { principal: 'local:user:carol', role: 'viewer' },
    })]);
  });

  it('lists in help only what the caller may run, and more after a grant', async () => {
    const app = await start();
    const before = await say(app, '!help', 'carol');
    expect(before).toContain('`ping`');
    expect(before).toContain('`link`');
    expect(before).not.toContain('`status`');
    expect(before).not.toContain('`roles');
    expect(await say(app, '!help', 'alice')).not.toContain('`roles grant`');
    expect(await say(app, '!help', 'bob')).toContain('`roles grant` Gives a user a role');
    await say(app, '!roles grant carol viewer', 'bob');
    expect(await say(app, '!help', 'carol')).toContain('`status` Service health');
  });

  it('revokes a configuration binding: the revocation hides it, is shown, and survives a restart', async () => {
    const app = await start();
    expect(await say(app, '!roles revoke alice operator', 'bob'))
      .toBe('Revoked operator from local:user:alice. The configuration binding stays hidden until the role is granted again.');
    expect(await say(app, '!status', 'alice')).toMatch(/^Denied: status needs the permission use:status and you have no role/);
    const shown = await say(app, '!roles show alice', 'bob');
    expect(shown).toMatch(/^local:user:alice\nRoles: none of its own\nRevoked configuration bindings: operator \(by local:user:bob, \d{4}-\d\d-\d\d \d\d:\d\d UTC\)\nLinked identities: none\n/);
    expect(await app.app.get<AuditLog>(AuditLog).list({ action: 'rbac.role.revoked' })).toEqual([expect.objectContaining({
      actor: 'local:user:bob', detail: { principal: 'local:user:alice', role: 'operator', hidesConfigBinding: true },
    })]);
    await app.app.stop();
    const again = await start(app.dir);
    expect(await say(again, '!status', 'alice')).toMatch(/^Denied: status needs the permission use:status/);
    expect(await say(again, '!roles grant alice operator', 'bob')).toBe('Granted operator to local:user:alice.');
    expect(await say(again, '!status', 'alice')).toBe('up');
    expect(await say(again, '!roles show alice', 'bob')).toContain('Roles: operator (configuration)');
  });

  it('lists roles with their permissions and holders', async () => {
    const app = await start();
    await say(app, '!roles grant carol viewer', 'bob');
    expect(await say(app, '!roles', 'bob')).toBe([
      'Roles (change with `roles grant <user> <role>` and `roles revoke <user> <role>`):',
      '**admin** manages everything\n  permissions: *\n  held by: local:user:bob',
      '**operator**\n  permissions: *, !rbac:*\n  held by: local:user:alice',
      '**viewer**\n  permissions: use:status\n  held by: local:user:carol',
    ].join('\n'));
  });

  it('refuses a role the configuration does not define, naming the known ones', async () => {
    const app = await start();
    expect(await say(app, '!roles grant carol wizard', 'bob'))
      .toBe('There is no role "wizard". Known roles: admin, operator, viewer (defined in rbac.roles of the configuration).');
    expect(await say(app, '!roles revoke carol viewer', 'bob')).toMatch(/^local:user:carol does not hold viewer itself\./);
  });

  it('lets only holders of rbac:admin manage roles', async () => {
    const app = await start();
    expect(await say(app, '!roles grant carol viewer', 'alice'))
      .toBe('Denied: roles grant needs the permission rbac:admin and none of your roles (operator) grants it; ask an admin for a role');
    expect(await say(app, '!roles', 'carol')).toMatch(/^Denied: roles needs the permission rbac:admin/);
    expect(await app.app.get<AuditLog>(AuditLog).list({ action: 'rbac.role.granted' })).toEqual([]);
  });

  it('refuses an admin revoking their own last rbac:admin role, but not another admin doing it', async () => {
    const app = await start();
    expect(await say(app, '!roles revoke bob admin', 'bob'))
      .toBe('Revoking admin from local:user:bob would take away your own rbac:admin: no other role of yours grants it. Ask another admin to do it.');
    expect(await say(app, '!roles grant dave admin', 'bob')).toBe('Granted admin to local:user:dave.');
    expect(await say(app, '!roles revoke bob admin', 'dave')).toBe('Revoked admin from local:user:bob. The configuration binding stays hidden until the role is granted again.');
    expect(await say(app, '!roles', 'bob')).toMatch(/^Denied: roles needs the permission rbac:admin/);
  });
});

describe('default deny', () => {
  it('runs no command whose permission nobody holds', async () => {
    current = await startTestApp({ plugins: { bundled: false }, rbac: { roles: { deployer: { permissions: ['deploy', 'db:*'] } }, bindings: [{ principal: 'local:user:alice', roles: ['deployer'] }] } });
    current.app.get<CommandRegistry>(CommandRegistry)
      .register('vault', { name: 'unseal', description: 'u', args: [], permission: 'vault:unseal', risk: 'low' }, async () => 'unsealed');
    expect(await say(current, '!unseal', 'alice')).toBe('Denied: unseal needs the permission vault:unseal and none of your roles (deployer) grants it; ask an admin for a role');
    expect(await say(current, '!help', 'alice')).not.toContain('unseal');
  });

  it('allows only the read-only built-ins when no role is configured', async () => {
    current = await startTestApp({ plugins: { bundled: false }, rbac: { roles: {}, bindings: [] } });
    expect(await say(current, '!ping', 'bob')).toBe('pong');
    expect(await say(current, '!roles', 'bob')).toMatch(/^Denied: roles needs the permission rbac:admin and you have no role/);
    expect(await say(current, '!audit', 'bob')).toMatch(/^Denied: audit needs the permission audit:read/);
  });
});
