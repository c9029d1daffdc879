import { describe, expect, it } from 'vitest';
import { freezeInvocation, thawInvocation } from '../../../src/approvals/freeze-invocation.js';
import type { Invocation } from '../../../src/core/command.js';
import { OpsroomError } from '../../../src/core/errors.js';

const invocation: Invocation = {
  id: 'inv1', command: 'deploy', plugin: 'deploy', args: { service: 'web', env: 'prod', ref: undefined, replicas: 3 }, text: 'deploy web prod',
  platform: 'discord', actor: { id: 'discord:user:1', name: 'alice', isBot: false, groups: ['discord:role:9'] },
  channel: { id: 'discord:channel:2', name: 'ops', isDirect: false }, source: { channelId: 'discord:channel:2', messageId: '77' },
};

describe('freezeInvocation', () => {
  it('thaws back to the same invocation, without absent arguments', () => {
    const { frozen, hash } = freezeInvocation(invocation, 'abc234', 'deploy@1.2.0');
    const { ref: _absent, ...args } = invocation.args;
    expect(thawInvocation(frozen, hash, 'abc234', 'deploy@1.2.0')).toEqual({ ...invocation, args });
  });

  it('hashes equal invocations equally, whatever the key order', () => {
    const reordered: Invocation = { ...invocation, args: { replicas: 3, env: 'prod', service: 'web' } };
    expect(freezeInvocation(reordered, 'abc234', 'f').hash).toBe(freezeInvocation(invocation, 'abc234', 'f').hash);
  });

  it('refuses a frozen invocation whose arguments were altered in storage', () => {
    const { frozen, hash } = freezeInvocation(invocation, 'abc234', 'f');
    const altered = frozen.replace('"prod"', '"staging"');
    expect(() => thawInvocation(altered, hash, 'abc234', 'f')).toThrow(OpsroomError);
    expect(() => thawInvocation(altered, hash, 'abc234', 'f')).toThrow(/does not match its hash/);
  });

  it('refuses a frozen invocation moved to another request or another command version', () => {
    const { frozen, hash } = freezeInvocation(invocation, 'abc234', 'f1');
    expect(() => thawInvocation(frozen, hash, 'xyz789', 'f1')).toThrow(/does not match/);
    expect(() => thawInvocation(frozen, hash, 'abc234', 'f2')).toThrow(/does not match/);
  });

  it('never freezes an approval marker that was already on the invocation', () => {
    const marked = { ...invocation, approval: { requestId: 'old', approvers: ['discord:user:3'] } };
    const { frozen } = freezeInvocation(marked, 'abc234', 'f');
    expect(JSON.parse(frozen)).not.toHaveProperty('approval');
  });
});
