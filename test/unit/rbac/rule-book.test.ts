import { describe, expect, it } from 'vitest';
import type { ChannelRef } from '../../../src/core/chat-event.js';
import type { CommandSpec } from '../../../src/core/command.js';
import { ConfigError } from '../../../src/core/errors.js';
import { RuleBook, type RuleCaller } from '../../../src/rbac/rule-book.js';

const deploy: CommandSpec = {
  name: 'deploy', description: 'd', permission: 'deploy', risk: 'high',
  args: [{ name: 'service', type: 'string' }, { name: 'env', type: 'enum', values: ['staging', 'prod'] }],
};
const upgrade: CommandSpec = { name: 'db upgrade', description: 'u', permission: 'db:upgrade', risk: 'high', args: [] };

const ops: ChannelRef = { id: 'discord:channel:123', name: 'ops', isDirect: false };
const general: ChannelRef = { id: 'discord:channel:999', name: 'general', isDirect: false };
const teamsOps: ChannelRef = { id: 'teams:conversation:19:ops@thread', isDirect: false };

function caller(...permissions: string[]): RuleCaller {
  return { has: (p) => permissions.includes(p), why: () => 'none of your roles (operator) grants it' };
}

const aliases = { ops: { discord: 'discord:channel:123', teams: '19:ops@thread' } };

describe('RuleBook', () => {
  const book = new RuleBook([
    { command: 'deploy', args: { env: 'prod' }, permission: 'deploy:prod' },
    { command: 'deploy', args: { service: ['db', 'ledger'], env: 'prod' }, channels: ['ops'] },
    { command: 'db upgrade', channels: ['ops', 'local:channel:ops'] },
  ], aliases);

  it('asks for the extra permission only when the arguments match', () => {
    expect(book.check(deploy, { service: 'web', env: 'staging' }, general, caller()).allowed).toBe(true);
    expect(book.check(deploy, { service: 'web', env: 'prod' }, general, caller())).toEqual({
      allowed: false, reason: 'deploy with env=prod needs the permission deploy:prod and none of your roles (operator) grants it; ask an admin for a role',
    });
    expect(book.check(deploy, { service: 'web', env: 'prod' }, general, caller('deploy:prod')).allowed).toBe(true);
  });

  it('compares argument values without regard to case, and a list matches any of its values', () => {
    expect(book.check(deploy, { service: 'web', env: 'PROD' }, general, caller()).allowed).toBe(false);
    const ledger = book.check(deploy, { service: 'Ledger', env: 'prod' }, general, caller('deploy:prod'));
    expect(ledger).toEqual({ allowed: false, reason: 'deploy with service=db|ledger, env=prod may only run in #ops; this is #general' });
    expect(book.check(deploy, { service: 'ledger', env: 'prod' }, ops, caller('deploy:prod')).allowed).toBe(true);
  });

  it('limits a command to channels given by alias on every platform, or by qualified id', () => {
    expect(book.check(upgrade, {}, ops, caller()).allowed).toBe(true);
    expect(book.check(upgrade, {}, teamsOps, caller()).allowed).toBe(true);
    expect(book.check(upgrade, {}, { id: 'local:channel:ops', isDirect: false }, caller()).allowed).toBe(true);
    expect(book.check(upgrade, {}, { id: 'local:channel:builds', isDirect: false }, caller())).toEqual({
      allowed: false, reason: 'db upgrade may only run in #ops, local:channel:ops; this is local:channel:builds',
    });
  });

  it('leaves commands without rules alone', () => {
    const status: CommandSpec = { name: 'status', description: 's', permission: 'use:status', risk: 'low', args: [] };
    expect(book.check(status, {}, general, caller()).allowed).toBe(true);
  });

  it('fails closed when a rule names an argument the command does not have', () => {
    const typo = new RuleBook([{ command: 'deploy', args: { enviroment: 'prod' }, permission: 'deploy:prod' }], {});
    const decision = typo.check(deploy, { service: 'web', env: 'staging' }, general, caller('deploy:prod'));
    expect(decision).toEqual({
      allowed: false,
      reason: 'an rbac rule for deploy names the argument enviroment, which deploy does not have; an operator must fix rbac.rules',
    });
  });

  it('refuses a channel alias that the channels section does not define', () => {
    let thrown: unknown;
    try {
      new RuleBook([{ command: 'db upgrade', channels: ['opz'] }], aliases);
    } catch (error) {
      thrown = error;
    }
    expect(thrown).toBeInstanceOf(ConfigError);
    expect((thrown as ConfigError).problems).toEqual(['rbac.rules[0].channels: unknown channel alias "opz"']);
  });
});
