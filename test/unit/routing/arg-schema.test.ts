import { describe, expect, it } from 'vitest';
import type { ArgSpec } from '../../../src/core/command.js';
import { validateArgSpecs } from '../../../src/routing/arg-schema.js';

describe('validateArgSpecs', () => {
  it('accepts a well-formed schema', () => {
    expect(validateArgSpecs([
      { name: 'service', type: 'string', required: true },
      { name: 'env', type: 'enum', values: ['staging', 'prod'], default: 'staging' },
      { name: 'force', type: 'bool', flag: true, default: false },
      { name: 'lines', type: 'int', flag: true, default: 10 },
      { name: 'text', type: 'rest' },
    ])).toEqual([]);
  });

  it('names each problem', () => {
    const specs = [
      { name: '1bad', type: 'string' },
      { name: 'dup', type: 'string' },
      { name: 'dup', type: 'string' },
      { name: 'what', type: 'date' },
      { name: 'text', type: 'rest', flag: true },
      { name: 'env', type: 'enum', values: [] },
      { name: 'mode', type: 'enum', values: ['a', 'a'] },
      { name: 'name', type: 'string', values: ['x'] },
      { name: 'n', type: 'int', default: 1.5 },
      { name: 'r', type: 'number', default: 'x' },
      { name: 'b', type: 'bool', flag: true, default: 'yes' },
      { name: 'e', type: 'enum', values: ['a'], default: 'z' },
      { name: 's', type: 'string', default: 3 },
      { name: 'no-b', type: 'string', flag: true },
    ] as unknown as ArgSpec[];
    expect(validateArgSpecs(specs)).toEqual([
      'argument "1bad": a name starts with a letter and holds at most 40 letters, digits, - and _',
      'argument "dup" is declared twice',
      'argument "what": unknown type "date" (types: string, int, number, bool, enum, user, channel, rest)',
      'argument "text": a rest argument cannot be a flag',
      'argument "env": an enum needs a non-empty list of values',
      'argument "mode": enum values must be distinct',
      'argument "name": values only apply to enum arguments',
      'argument "n": the default must be a whole number (got 1.5)',
      'argument "r": the default must be a finite number (got "x")',
      'argument "b": the default must be true or false (got "yes")',
      'argument "e": the default must be one of the values',
      'argument "s": the default must be a string (got 3)',
      'flag "no-b" clashes with the negation of bool flag "b"',
    ]);
  });

  it('requires rest to be the last positional and required positionals to come first', () => {
    expect(validateArgSpecs([
      { name: 'text', type: 'rest' },
      { name: 'a', type: 'string', required: true },
      { name: 'f', type: 'bool', flag: true },
    ])).toEqual([
      'argument "text" is of type rest, so it must be the last positional argument',
      'required argument "a" cannot follow optional argument "text"',
    ]);
  });

  it('allows flags after a rest argument', () => {
    expect(validateArgSpecs([{ name: 'text', type: 'rest' }, { name: 'loud', type: 'bool', flag: true }])).toEqual([]);
  });
});
