import { describe, expect, it } from 'vitest';
import type { Actor } from '../../../src/core/chat-event.js';
import type { CommandSpec, Invocation, ParsedArgs } from '../../../src/core/command.js';
import { RbacServiceImpl } from '../../../src/rbac/rbac-service.js';
import type { RbacSettings } from '../../../src/rbac/rbac-settings.js';
import type { RbacState } from '../../../src/rbac/rbac-state.js';
import type { RbacStore } from '../../../src/rbac/rbac-store.js';
import { actor } from '../../fakes/fake-adapter.js';

const deploy: CommandSpec = { name: 'deploy', description: 'd', args: [], permission: 'deploy', risk: 'high' };
const ping: CommandSpec = { name: 'ping', description: 'p', args: [], permission: 'core:ping', risk: 'low', readOnly: true };

const rbac = new RbacServiceImpl({
  roles: { operator: { permissions: ['deploy', 'use:*'] }, viewer: { permissions: ['use:status'] } },
  bindings: [
    { principal: 'discord:user:1', roles: ['viewer'] },
    { group: 'discord:role:99', roles: ['operator'] },
    { principal: 'discord:user:3', roles: ['ghost-role'] },
  ],
});

describe('RbacService', () => {
  it('binds roles to principals by id and to platform groups carried on the event', () => {
    expect(rbac.rolesOf(actor('1', 'discord'))).toEqual(['viewer']);
    expect(rbac.rolesOf(actor('1', 'discord', ['discord:role:99']))).toEqual(['operator', 'viewer']);
    expect(rbac.rolesOf({ ...actor('2', 'discord'), name: '1' })).toEqual([]);
  });

  it('ignores bindings to roles that do not exist', () => {
    expect(rbac.rolesOf(actor('3', 'discord'))).toEqual([]);
  });

  it('decides with a reason instead of throwing', () => {
    expect(rbac.mayRun(actor('2', 'discord', ['discord:role:99']), deploy)).toEqual({ allowed: true });
    const denied = rbac.mayRun(actor('1', 'discord'), deploy);
    expect(denied).toEqual({ allowed: false, reason: 'deploy needs the permission deploy and none of your roles (viewer) grants it; ask an admin for a role' });
  });

  it('lets anyone run read-only built-ins, and no bot run anything', () => {
    expect(rbac.mayRun(actor('nobody', 'discord'), ping).allowed).toBe(true);
    const bot = { ...actor('2', 'discord', ['discord:role:99']), isBot: true };
    expect(rbac.mayRun(bot, ping).allowed).toBe(false);
    expect(rbac.can(bot, 'deploy')).toBe(false);
  });
});

function invocation(who: Actor, command: CommandSpec, args: ParsedArgs, channel = 'discord:channel:1'): Invocation {
  return {
    id: 'i1', command: command.name, plugin: 'demo', args, text: command.name, platform: 'discord', actor: who,
    channel: { id: channel, isDirect: false }, source: { channelId: channel, messageId: 'm1' },
  };
}

function stateOf(partial: Partial<RbacState>): Pick<RbacStore, 'load'> {
  return { load: async () => ({ roleChanges: [], links: [], ...partial }) };
}

const at = new Date('2025-03-01T09:00:00Z');

describe('RbacService permission resolution', () => {
  const settings: RbacSettings = {
    roles: {
      operator: { permissions: ['*', '!rbac:*'] },
      deployer: { permissions: ['deploy', 'db:*'] },
      admin: { permissions: ['*'] },
    },
    bindings: [{ principal: 'discord:user:1', roles: ['deployer'] }, { principal: 'discord:user:9', roles: ['admin'] }],
    rules: [{ command: 'deploy', args: { env: 'prod' }, permission: 'deploy:prod' }],
  };
  const deployWithEnv: CommandSpec = { ...deploy, args: [{ name: 'env', type: 'enum', values: ['staging', 'prod'] }] };

  it('grants wildcard families, and lets a negation take a family away again', () => {
    const service = new RbacServiceImpl(settings);
    expect(service.can(actor('1', 'discord'), 'db:upgrade')).toBe(true);
    expect(service.can(actor('1', 'discord'), 'deploy:prod')).toBe(false);
    expect(service.can(actor('9', 'discord'), 'rbac:admin')).toBe(true);
  });

  it('decides on the command permission first, then on the rules for its arguments', () => {
    const service = new RbacServiceImpl(settings);
    expect(service.decide(invocation(actor('1', 'discord'), deployWithEnv, { env: 'staging' }), deployWithEnv)).toEqual({ allowed: true });
    expect(service.decide(invocation(actor('1', 'discord'), deployWithEnv, { env: 'prod' }), deployWithEnv)).toEqual({
      allowed: false, reason: 'deploy with env=prod needs the permission deploy:prod and none of your roles (deployer) grants it; ask an admin for a role',
    });
    expect(service.decide(invocation(actor('9', 'discord'), deployWithEnv, { env: 'prod' }), deployWithEnv).allowed).toBe(true);
    expect(service.decide(invocation(actor('2', 'discord'), deployWithEnv, { env: 'staging' }), deployWithEnv)).toEqual({
      allowed: false, reason: 'deploy needs the permission deploy and you have no role that grants it; ask an admin for a role',
    });
  });

  it('applies stored changes after reload: a revocation hides a configuration binding, a grant adds a role', async () => {
    const service = new RbacServiceImpl(settings, stateOf({
      roleChanges: [
        { principal: 'discord:user:1', role: 'deployer', state: 'revoked', by: 'discord:user:9', at },
        { principal: 'discord:user:1', role: 'operator', state: 'granted', by: 'discord:user:9', at },
      ],
    }));
    expect(service.rolesOf(actor('1', 'discord'))).toEqual(['deployer']);
    await service.reload();
    expect(service.rolesOf(actor('1', 'discord'))).toEqual(['operator']);
  });

  it('gives linked identities the roles of each other, and names them', async () => {
    const service = new RbacServiceImpl(settings, stateOf({ links: [{ a: 'discord:user:1', b: 'teams:user:aad-1', by: 'teams:user:aad-1', at }] }));
    await service.reload();
    expect(service.rolesOf(actor('aad-1', 'teams'))).toEqual(['deployer']);
    expect(service.linkedIdentities('teams:user:aad-1')).toEqual(['discord:user:1']);
    expect(service.linkedIdentities('discord:user:1')).toEqual(['teams:user:aad-1']);
    expect(service.linkedIdentities('discord:user:2')).toEqual([]);
  });

  it('keeps the newer state when two reloads finish out of order', async () => {
    const releases: Array<() => void> = [];
    let calls = 0;
    const store: Pick<RbacStore, 'load'> = {
      load: () => {
        const granted = ++calls === 2;
        return new Promise<RbacState>((resolve) => releases.push(() => resolve({
          roleChanges: granted ? [{ principal: 'discord:user:5', role: 'operator', state: 'granted', by: 'system', at }] : [], links: [],
        })));
      },
    };
    const service = new RbacServiceImpl(settings, store);
    const first = service.reload();
    const second = service.reload();
    releases[1]?.();
    await second;
    releases[0]?.();
    await first;
    expect(service.rolesOf(actor('5', 'discord'))).toEqual(['operator']);
  });
});
