import { describe, expect, it } from 'vitest';
import { OpsroomError } from '../../../src/core/errors.js';
import { parseCommandLine } from '../../../src/routing/parse-command-line.js';
import { tokenize } from '../../../src/routing/tokenize.js';

const parse = (line: string, bools?: string[]) => parseCommandLine(tokenize(line), bools ? new Set(bools) : undefined);
const positionals = (line: string) => parse(line).positionals.map((t) => t.value);

describe('parseCommandLine', () => {
  it('reads --name value, --name=value and a flag alone at the end', () => {
    const parsed = parse('logs web --lines 20 --since=1h --follow');
    expect(parsed.positionals.map((t) => t.value)).toEqual(['logs', 'web']);
    expect([...parsed.flags]).toEqual([['lines', '20'], ['since', '1h'], ['follow', true]]);
    expect(parsed.rawFlags).toEqual(['--lines', '--since=1h', '--follow']);
  });

  it('reads a flag followed by another flag as true', () => {
    expect([...parse('--verbose --lines 3').flags]).toEqual([['verbose', true], ['lines', '3']]);
  });

  it('does not let a declared bool flag take the next word', () => {
    const parsed = parse('--force web', ['force']);
    expect([...parsed.flags]).toEqual([['force', true]]);
    expect(parsed.positionals.map((t) => t.value)).toEqual(['web']);
  });

  it('ends flags at --', () => {
    const parsed = parse('a -- --x b');
    expect(parsed.positionals.map((t) => t.value)).toEqual(['a', '--x', 'b']);
    expect(parsed.flags.size).toBe(0);
  });

  it('does not take -- as the value of a flag', () => {
    const parsed = parse('--name -- x');
    expect([...parsed.flags]).toEqual([['name', true]]);
    expect(parsed.positionals.map((t) => t.value)).toEqual(['x']);
  });

  it('keeps single-dash words, negative numbers and quoted words as positionals', () => {
    expect(positionals(`-x -5 "--quoted" \\--escaped`)).toEqual(['-x', '-5', '--quoted', '--escaped']);
  });

  it('takes a negative number as a flag value', () => {
    expect(parse('--offset -5').flags.get('offset')).toBe('-5');
  });

  it('keeps the quoted flag of each positional token', () => {
    expect(parse(`a "b"`).positionals).toEqual([{ value: 'a', quoted: false }, { value: 'b', quoted: true }]);
  });

  it('refuses a flag given twice', () => {
    expect(() => parse('--a 1 --a=2')).toThrow(OpsroomError);
    expect(() => parse('--a 1 --a=2')).toThrow('flag --a given twice');
  });
});
