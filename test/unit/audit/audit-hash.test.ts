import { describe, expect, it } from 'vitest';
import { GENESIS_HASH, hashEntry, type HashedFields } from '../../../src/audit/audit-hash.js';

const fields: HashedFields = {
  seq: 1,
  at: '2025-03-01T09:00:00.000Z',
  action: 'command.executed',
  actor: 'discord:user:42',
  platform: 'discord',
  channel: 'discord:channel:7',
  command: 'deploy',
  args: { service: 'web', env: 'prod', n: [1, 2.5, null, true], 'ünï': 'çödé' },
  outcome: 'ok',
  durationMs: 1234,
  invocationId: 'inv-1',
  detail: null,
  prevHash: GENESIS_HASH,
};

describe('hashEntry', () => {
  it('matches an independent implementation (Python json.dumps with sorted keys, compact separators)', () => {
    expect(hashEntry(fields)).toBe('76efe8c580089fc72d25c5ee325f748826a5768e2756ead48faf14ade6e17570');
  });

  it('changes when any covered field changes', () => {
    const base = hashEntry(fields);
    expect(hashEntry({ ...fields, seq: 2 })).not.toBe(base);
    expect(hashEntry({ ...fields, prevHash: 'f'.repeat(64) })).not.toBe(base);
    expect(hashEntry({ ...fields, args: { ...fields.args, env: 'staging' } })).not.toBe(base);
    expect(hashEntry({ ...fields, detail: {} })).not.toBe(base);
  });

  it('ignores properties outside the covered fields, such as the record\'s own hash', () => {
    expect(hashEntry({ ...fields, hash: 'whatever' } as HashedFields)).toBe(hashEntry(fields));
  });
});
