import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { validateConfig } from '../../../src/config/load-config.js';

function problemsOf(tree: unknown): string[] {
  try {
    validateConfig(tree, 'test.yaml');
  } catch (error) {
    expect(error).toBeInstanceOf(ConfigError);
    return (error as ConfigError).problems;
  }
  throw new Error('expected a ConfigError');
}

describe('rbac.rules in the configuration', () => {
  it('accepts rules by argument and by channel alias or id, and defaults to none', () => {
    expect(validateConfig({}, 'empty').rbac.rules).toEqual([]);
    const config = validateConfig({
      channels: { ops: { discord: 'discord:channel:123' } },
      rbac: {
        rules: [
          { command: 'deploy', args: { env: 'prod' }, permission: 'deploy:prod' },
          { command: 'db upgrade', channels: ['ops', 'local:channel:ops', 'teams:conversation:19:x'] },
        ],
      },
    }, 'rules');
    expect(config.rbac.rules).toHaveLength(2);
  });

  it('names every bad rule: no effect, a wildcard permission, an unknown alias, a channel that is a user', () => {
    expect(problemsOf({
      channels: { ops: { local: 'local:channel:ops' } },
      rbac: {
        rules: [
          { command: 'deploy', args: { env: 'prod' } },
          { command: 'deploy', permission: 'deploy:*' },
          { command: 'db upgrade', channels: ['opz', 'discord:user:1'] },
        ],
      },
    })).toEqual([
      'rbac.rules[0]: a rule needs a permission, channels, or both (expected e.g. { command: deploy, args: { env: prod }, permission: deploy:prod })',
      'rbac.rules[1].permission: invalid value (expected a concrete permission such as deploy:prod (no wildcard))',
      'rbac.rules[2].channels[0]: "opz" is neither a channel id nor a channel alias (expected an id such as discord:channel:123 or an alias of the channels section: ops)',
      'rbac.rules[2].channels[1]: "discord:user:1" is neither a channel id nor a channel alias (expected an id such as discord:channel:123 or an alias of the channels section: ops)',
    ]);
  });

  it('keeps role management away from the default operator role', () => {
    expect(validateConfig({}, 'empty').rbac.roles.operator?.permissions).toEqual(['*', '!rbac:*']);
  });
});
