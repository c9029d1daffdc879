import { describe, expect, it } from 'vitest';
import { validateConfig } from '../../../src/config/load-config.js';
import type { ConfigError } from '../../../src/core/errors.js';

function problemsOf(channels: Record<string, unknown>): string[] {
  try {
    validateConfig({ channels }, 'test configuration');
    return [];
  } catch (error) {
    return (error as ConfigError).problems;
  }
}

describe('the channels section', () => {
  it('takes a qualified id of the platform each alias maps to', () => {
    expect(problemsOf({
      builds: { teams: 'teams:conversation:19:abc@thread.tacv2', discord: 'discord:channel:1310000000000000202', local: 'local:channel:builds' },
      oncall: { teams: 'teams:user:3f2504e0-4f89-41d3-9a0c-0305e82c3301' },
    })).toEqual([]);
  });

  it('names an alias whose id is not qualified, or belongs to another platform', () => {
    expect(problemsOf({ builds: { teams: '19:abc@thread.tacv2' }, ops: { discord: 'teams:conversation:x' } })).toEqual([
      'channels.builds.teams: invalid value (expected a qualified teams channel id such as teams:conversation:19:abc@thread.tacv2)',
      'channels.ops.discord: invalid value (expected a qualified discord channel id such as discord:channel:123456789012345678)',
    ]);
  });
});
