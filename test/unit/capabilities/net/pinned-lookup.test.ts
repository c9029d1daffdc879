import type { LookupAddress } from 'node:dns';
import { describe, expect, it } from 'vitest';
import { pinnedLookup } from '../../../../src/capabilities/net/pinned-agent.js';

type Answer = { error: NodeJS.ErrnoException | null; address: string | LookupAddress[]; family: number | undefined };

function ask(hostname: string, options: { all?: boolean; family?: number }): Answer {
  let answer: Answer | undefined;
  pinnedLookup('svc.example.test', { address: '10.0.0.5', family: 4 })(hostname, options, (error, address, family) => {
    answer = { error, address, family };
  });
  if (answer === undefined) throw new Error('the lookup did not call back synchronously');
  return answer;
}

describe('pinnedLookup', () => {
  it('answers the one-address shape with the checked address', () => {
    expect(ask('svc.example.test', {})).toEqual({ error: null, address: '10.0.0.5', family: 4 });
  });

  it('answers the all-addresses shape (autoSelectFamily) with only the checked address', () => {
    expect(ask('svc.example.test', { all: true })).toEqual({ error: null, address: [{ address: '10.0.0.5', family: 4 }], family: undefined });
  });

  it('accepts the name in any case and with a trailing dot', () => {
    expect(ask('SVC.example.test.', {}).address).toBe('10.0.0.5');
  });

  it('refuses to resolve any other name', () => {
    const answer = ask('evil.example.test', { all: true });
    expect(answer.error?.code).toBe('EPINNED');
    expect(answer.error?.message).toBe('pinned connection for svc.example.test was asked to resolve evil.example.test');
  });
});
