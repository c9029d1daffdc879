import { describe, expect, it } from 'vitest';
import { argsFromTypings } from '../../../src/automation/wish-args.js';

describe('argsFromTypings', () => {
  it('turns the ways people typed a command into positionals and flags', () => {
    expect(argsFromTypings('db-backup', ['db-backup main --full', 'db-backup audit --label nightly --full', 'db-backup 3'])).toEqual([
      { name: 'arg1', type: 'string', required: true, description: 'as typed: "main", "audit", "3"' },
      { name: 'full', type: 'bool', flag: true, description: 'as typed: alone' },
      { name: 'label', type: 'string', flag: true, description: 'as typed: "nightly"' },
    ]);
  });

  it('makes whole numbers int, keeps later positionals optional after an optional one, and reads a two-word command', () => {
    expect(argsFromTypings('logs tail', ['logs tail 50', 'logs tail 10 web', 'logs tail'])).toEqual([
      { name: 'arg1', type: 'int', description: 'as typed: "50", "10"' },
      { name: 'arg2', type: 'string', description: 'as typed: "web"' },
    ]);
  });

  it('skips lines it cannot read and gives no arguments for none', () => {
    expect(argsFromTypings('x', ['x "unclosed'])).toEqual([]);
    expect(argsFromTypings('x', ['x'])).toEqual([]);
  });
});
