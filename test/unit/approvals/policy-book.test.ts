import { describe, expect, it } from 'vitest';
import { approvalsConfigSchema, type ApprovalsConfig } from '../../../src/approvals/approvals-config-schema.js';
import type { PolicyTarget } from '../../../src/approvals/approval-policy.js';
import { PolicyBook } from '../../../src/approvals/policy-book.js';
import type { CommandSpec, ParsedArgs } from '../../../src/core/command.js';
import { ConfigError } from '../../../src/core/errors.js';

const deploy: CommandSpec = {
  name: 'deploy', description: 'deploys', permission: 'deploy', risk: 'high',
  args: [{ name: 'service', type: 'string', required: true }, { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true }],
};
const status: CommandSpec = { name: 'status', description: 'status', permission: 'status', risk: 'low', args: [{ name: 'env', type: 'string' }] };

function config(input: unknown): ApprovalsConfig {
  return approvalsConfigSchema.parse(input);
}

function target(args: ParsedArgs, channelId = 'discord:channel:1', command = 'deploy'): PolicyTarget {
  return { command, args, platform: 'discord', channelId };
}

describe('PolicyBook', () => {
  it('gives a high-risk command without a policy the default high-risk policy: 1 approval from approver, 15 minutes', () => {
    const policy = new PolicyBook(config({})).policyFor(target({ service: 'web', env: 'prod' }), deploy);
    expect(policy).toEqual({
      source: 'approvals.defaultHighRisk', approvals: 1, approverRoles: ['approver'], allowSelfApproval: false, expiryMinutes: 15,
    });
  });

  it('lets low and medium risk commands run without a policy', () => {
    const book = new PolicyBook(config({}));
    expect(book.policyFor(target({}, undefined, 'status'), status)).toBeUndefined();
    expect(book.policyFor(target({}, undefined, 'status'), { ...status, risk: 'medium' })).toBeUndefined();
  });

  it('matches a policy on the command and argument values, first match first', () => {
    const book = new PolicyBook(config({
      policies: [
        { command: 'deploy', args: { env: 'prod' }, approvals: 2, approverRoles: ['release-manager'], expiryMinutes: 30 },
        { command: 'deploy', approvals: 1, approverRoles: ['approver', 'release-manager'] },
      ],
    }));
    expect(book.policyFor(target({ service: 'web', env: 'prod' }), deploy)).toMatchObject({
      source: 'approvals.policies[0]', approvals: 2, approverRoles: ['release-manager'], expiryMinutes: 30, allowSelfApproval: false,
    });
    expect(book.policyFor(target({ service: 'web', env: 'staging' }), deploy)).toMatchObject({ source: 'approvals.policies[1]', expiryMinutes: 15 });
  });

  it('accepts a list of values and compares numbers and booleans as text', () => {
    const spec: CommandSpec = { ...status, args: [{ name: 'replicas', type: 'int' }, { name: 'force', type: 'bool' }] };
    const book = new PolicyBook(config({ policies: [{ command: 'status', args: { replicas: [0, 10], force: true }, approvals: 1, approverRoles: ['approver'] }] }));
    expect(book.policyFor(target({ replicas: 10, force: true }, undefined, 'status'), spec)).toBeDefined();
    expect(book.policyFor(target({ replicas: 3, force: true }, undefined, 'status'), spec)).toBeUndefined();
    expect(book.policyFor(target({ replicas: 0, force: false }, undefined, 'status'), spec)).toBeUndefined();
  });

  it('matches channels by qualified id or by alias of the channels section', () => {
    const book = new PolicyBook(config({
      policies: [{ command: 'status', channels: ['prod-ops', 'teams:conversation:19:abc'], approvals: 1, approverRoles: ['approver'] }],
    }), { 'prod-ops': { discord: 'discord:channel:42', local: 'ops' } });
    expect(book.policyFor(target({}, 'discord:channel:42', 'status'), status)).toBeDefined();
    expect(book.policyFor({ ...target({}, 'local:channel:ops', 'status'), platform: 'local' }, status)).toBeDefined();
    expect(book.policyFor({ ...target({}, 'teams:conversation:19:abc', 'status'), platform: 'teams' }, status)).toBeDefined();
    expect(book.policyFor(target({}, 'discord:channel:43', 'status'), status)).toBeUndefined();
  });

  it('refuses a policy naming a channel alias that does not exist, naming it', () => {
    const build = () => new PolicyBook(config({ policies: [{ command: 'deploy', channels: ['nowhere'], approvals: 1, approverRoles: ['approver'] }] }), { ops: { local: 'ops' } });
    expect(build).toThrow(ConfigError);
    try {
      build();
    } catch (error) {
      expect((error as ConfigError).problems).toEqual([
        'approvals.policies[0].channels[0]: there is no channel alias "nowhere" (expected a qualified channel id such as discord:channel:456, or an alias of the channels section: ops)',
      ]);
    }
  });

  it('raises or lowers risk per command and per argument value; the most specific override wins', () => {
    const book = new PolicyBook(config({ risk: { status: 'high', deploy: 'high', 'deploy env=staging': 'low' } }));
    expect(book.effectiveRisk(target({ env: 'staging' }), deploy)).toBe('low');
    expect(book.effectiveRisk(target({ env: 'prod' }), deploy)).toBe('high');
    expect(book.policyFor(target({ env: 'staging' }), deploy)).toBeUndefined();
    expect(book.policyFor(target({}, undefined, 'status'), status)?.source).toBe('approvals.defaultHighRisk');
  });

  it('never lets a condition on an argument the command lacks lower protection, and reports it', () => {
    const book = new PolicyBook(config({
      risk: { 'deploy enviroment=staging': 'low', 'status region=eu': 'high' },
      policies: [{ command: 'status', args: { enviroment: 'prod' }, approvals: 2, approverRoles: ['approver'] }],
    }));
    expect(book.effectiveRisk(target({ env: 'staging' }), deploy)).toBe('high');
    expect(book.effectiveRisk(target({}, undefined, 'status'), { ...status, name: 'status', args: [] })).toBe('high');
    expect(book.policyFor(target({ env: 'staging' }, undefined, 'status'), status)?.source).toBe('approvals.policies[0]');
    expect(book.unknownArguments(deploy)).toEqual(['approvals.risk."deploy enviroment=staging": enviroment']);
    expect(book.unknownArguments(status)).toEqual(['approvals.policies[0].args: enviroment', 'approvals.risk."status region=eu": region']);
  });

  it('lists the roles every policy names', () => {
    const book = new PolicyBook(config({ policies: [{ command: 'deploy', approvals: 1, approverRoles: ['release-manager'], requesterRoles: ['deployer'] }] }));
    expect(book.roles()).toEqual(['approver', 'deployer', 'release-manager']);
  });
});

describe('the approvals configuration section', () => {
  it('has the documented defaults', () => {
    expect(config(undefined)).toEqual({
      defaultHighRisk: { approvals: 1, approverRoles: ['approver'], allowSelfApproval: false }, expiryMinutes: 15, maxPendingPerUser: 5, risk: {}, policies: [],
    });
  });

  it('names each bad field', () => {
    const parsed = approvalsConfigSchema.safeParse({
      expiryMinutes: 0, risk: { 'deploy env=': 'high', ping: 'severe' },
      policies: [{ command: 'Deploy!', approvals: 0, approverRoles: [], surprise: 1 }],
    });
    expect(parsed.success).toBe(false);
    const paths = parsed.error?.issues.map((i) => i.path.join('.')).sort();
    expect(paths).toEqual([
      'expiryMinutes', 'policies.0', 'policies.0.approvals', 'policies.0.approverRoles', 'policies.0.command', 'risk.deploy env=', 'risk.ping',
    ]);
  });
});
