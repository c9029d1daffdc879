import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/core/command.js';
import { usageOf } from '../../../src/routing/parse-command-line.js';
import { commandNameOf } from '../../../src/routing/usage-of.js';

const command = (spec: Partial<CommandSpec>): CommandSpec => ({
  name: 'deploy', description: 'Deploy', args: [], permission: 'deploy', risk: 'high', ...spec,
});

describe('usageOf', () => {
  it('returns the usage the command declares', () => {
    expect(usageOf(command({ usage: 'deploy <service> <env> [--ref <git-ref>]' }))).toBe('deploy <service> <env> [--ref <git-ref>]');
  });

  it('builds the usage from the schema when none is declared', () => {
    const spec = command({
      args: [
        { name: 'service', type: 'string', required: true },
        { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
        { name: 'ref', type: 'string', flag: true, default: 'main' },
      ],
    });
    expect(usageOf(spec)).toBe('deploy <service> <env:staging|prod> [--ref <string>]');
  });

  it('builds the usage when the declared one is blank', () => {
    expect(usageOf(command({ name: 'ping', usage: '  ' }))).toBe('ping');
  });

  it('shows types, optional positionals, rest, bool and required flags, positionals before flags', () => {
    const spec = command({
      name: 'notify',
      args: [
        { name: 'force', type: 'bool', flag: true },
        { name: 'to', type: 'channel', required: true },
        { name: 'mode', type: 'enum', values: ['a', 'b'], flag: true, required: true },
        { name: 'count', type: 'int' },
        { name: 'text', type: 'rest' },
      ],
    });
    expect(usageOf(spec)).toBe('notify <to:channel> [count:int] [text...] [--force] --mode <a|b>');
  });
});

describe('commandNameOf', () => {
  it('takes the words before the first argument placeholder', () => {
    expect(commandNameOf('deploy status <id>')).toBe('deploy status');
    expect(commandNameOf('  ping  ')).toBe('ping');
    expect(commandNameOf('help [command]')).toBe('help');
    expect(commandNameOf('<x>')).toBe('the command');
    expect(commandNameOf('')).toBe('the command');
  });
});
