import { describe, expect, it } from 'vitest';
import type { ArgSpec, ParsedArgs } from '../../../src/core/command.js';
import { OpsroomError } from '../../../src/core/errors.js';
import { bindArgs } from '../../../src/routing/parse-command-line.js';
import { tokenize } from '../../../src/routing/tokenize.js';

const DEPLOY: ArgSpec[] = [
  { name: 'service', type: 'string', required: true },
  { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
  { name: 'ref', type: 'string', flag: true, default: 'main' },
  { name: 'lines', type: 'int', flag: true },
];
const DEPLOY_USAGE = 'deploy <service> <env:staging|prod> [--ref <string>] [--lines <int>]';

function bind(specs: ArgSpec[], line: string, usage = 'cmd'): ParsedArgs {
  return bindArgs(specs, tokenize(line), usage);
}

function failure(specs: ArgSpec[], line: string, usage = 'cmd'): OpsroomError {
  try {
    bind(specs, line, usage);
  } catch (error) {
    expect(error).toBeInstanceOf(OpsroomError);
    return error as OpsroomError;
  }
  throw new Error(`binding ${JSON.stringify(line)} did not throw`);
}

function problem(specs: ArgSpec[], line: string, usage = 'cmd'): string {
  const error = failure(specs, line, usage);
  expect(error.code).toBe('E_BAD_ARGS');
  expect(error.audience).toBe('user');
  expect(error.hint).toBe(`usage: ${usage}`);
  return error.message;
}

const one = (spec: Omit<ArgSpec, 'name'>): ArgSpec[] => [{ name: 'v', ...spec }];

describe('bindArgs', () => {
  describe('positionals and flags', () => {
    it('binds positionals in order and fills a flag default', () => {
      expect(bind(DEPLOY, 'web prod', DEPLOY_USAGE)).toEqual({ service: 'web', env: 'prod', ref: 'main' });
    });

    it('takes --name value and --name=value anywhere on the line', () => {
      expect(bind(DEPLOY, '--ref v1.2 web prod --lines=20')).toEqual({ service: 'web', env: 'prod', ref: 'v1.2', lines: 20 });
    });

    it('takes a negative number as a flag value and as a positional', () => {
      expect(bind(DEPLOY, 'web prod --lines -5').lines).toBe(-5);
      expect(bind(one({ type: 'int', required: true }), '-5')).toEqual({ v: -5 });
    });

    it('takes a quoted value after the equals sign of --name=value', () => {
      expect(bind(DEPLOY, `web prod --ref="release 2" --lines='3'`)).toMatchObject({ ref: 'release 2', lines: 3 });
    });

    it('keeps the text after the first equals sign of --name=value', () => {
      expect(bind(DEPLOY, 'web prod --ref=a=b').ref).toBe('a=b');
    });

    it('accepts an empty value given as --name=', () => {
      expect(bind(DEPLOY, 'web prod --ref=').ref).toBe('');
    });

    it('reads everything after -- as positionals, even flag-like words', () => {
      expect(bind(DEPLOY, '-- --ref prod')).toEqual({ service: '--ref', env: 'prod', ref: 'main' });
    });

    it('never reads a quoted word as a flag', () => {
      expect(bind(DEPLOY, '"--ref" prod').service).toBe('--ref');
      expect(bind(DEPLOY, 'web prod --ref "--weird"').ref).toBe('--weird');
    });

    it('treats words such as --> and --5 as positionals, not flags', () => {
      expect(bind(DEPLOY, '--> prod').service).toBe('-->');
      expect(bind(DEPLOY, '--5 prod').service).toBe('--5');
    });

    it('leaves out an absent optional argument that has no default', () => {
      expect(bind(DEPLOY, 'web prod')).not.toHaveProperty('lines');
    });

    it('binds a quoted empty string as a given value', () => {
      expect(bind(DEPLOY, `'' prod`).service).toBe('');
    });

    it('accepts optional positionals being left out', () => {
      const specs: ArgSpec[] = [{ name: 'a', type: 'string', required: true }, { name: 'b', type: 'int', default: 3 }];
      expect(bind(specs, 'x')).toEqual({ a: 'x', b: 3 });
      expect(bind(specs, 'x 4')).toEqual({ a: 'x', b: 4 });
    });
  });

  describe('bool flags', () => {
    const SPECS: ArgSpec[] = [{ name: 'target', type: 'string' }, { name: 'force', type: 'bool', flag: true }];

    it('never lets a bool flag consume the next word', () => {
      expect(bind(SPECS, '--force web')).toEqual({ force: true, target: 'web' });
    });

    it('is false when not given and without default', () => {
      expect(bind(SPECS, 'web')).toEqual({ target: 'web', force: false });
    });

    it('uses its default when not given', () => {
      expect(bind([{ name: 'force', type: 'bool', flag: true, default: true }], '')).toEqual({ force: true });
    });

    it('sets false with --no-name', () => {
      expect(bind([{ name: 'force', type: 'bool', flag: true, default: true }], '--no-force')).toEqual({ force: false });
    });

    it('reads --name=value as a bool word', () => {
      expect(bind(SPECS, '--force=no').force).toBe(false);
      expect(bind(SPECS, '--force=ON').force).toBe(true);
    });

    it('refuses a value on --no-name', () => {
      expect(problem(SPECS, '--no-force=yes')).toBe('--no-force takes no value (got "yes")');
    });

    it('refuses --no-name for a flag that is not bool', () => {
      expect(problem(DEPLOY, 'web prod --no-ref', DEPLOY_USAGE)).toMatch(/^unknown flag --no-ref \(known flags: --ref, --lines\)/);
    });

    it('refuses a bool flag given both ways', () => {
      expect(problem(SPECS, '--force --no-force')).toBe('flag --force given twice');
    });
  });

  describe('types', () => {
    it('parses int as a whole number within the safe range', () => {
      expect(bind(one({ type: 'int' }), '007')).toEqual({ v: 7 });
      expect(bind(one({ type: 'int' }), '-0')).toEqual({ v: 0 });
      expect(bind(one({ type: 'int' }), '9007199254740991')).toEqual({ v: Number.MAX_SAFE_INTEGER });
      expect(problem(one({ type: 'int' }), '9007199254740992')).toBe(
        'v must be a whole number between -9007199254740991 and 9007199254740991 (got "9007199254740992")',
      );
      for (const bad of ['1.5', '+1', '1e3', '0x10', '١٢', ' 1']) {
        expect(problem(one({ type: 'int' }), `'${bad}'`)).toBe(`v must be a whole number (got ${JSON.stringify(bad)})`);
      }
    });

    it('parses number as a finite decimal', () => {
      expect(bind(one({ type: 'number' }), '-0.5')).toEqual({ v: -0.5 });
      expect(bind(one({ type: 'number' }), '.25')).toEqual({ v: 0.25 });
      expect(bind(one({ type: 'number' }), '1e3')).toEqual({ v: 1000 });
      expect(bind(one({ type: 'number' }), '12')).toEqual({ v: 12 });
      for (const bad of ['NaN', 'Infinity', '0x10', '1,5', '', '.', '-']) {
        expect(problem(one({ type: 'number' }), `'${bad}'`)).toBe(`v must be a number such as 12 or -0.5 (got ${JSON.stringify(bad)})`);
      }
      expect(problem(one({ type: 'number' }), '1e999')).toBe('v is too large a number (got "1e999")');
    });

    it('parses bool words in any case', () => {
      const truthy = ['true', 'YES', 'on', '1'].map((w) => bind(one({ type: 'bool' }), w).v);
      const falsy = ['false', 'No', 'OFF', '0'].map((w) => bind(one({ type: 'bool' }), w).v);
      expect(truthy).toEqual([true, true, true, true]);
      expect(falsy).toEqual([false, false, false, false]);
      expect(problem(one({ type: 'bool' }), 'maybe')).toBe('v must be true or false (also yes/no, on/off, 1/0; got "maybe")');
    });

    it('accepts an enum value exactly, or in another case when only one value matches', () => {
      expect(bind(DEPLOY, 'web Prod').env).toBe('prod');
      expect(problem(DEPLOY, 'web qa', DEPLOY_USAGE)).toBe('env must be one of staging, prod (got "qa")');
      const cased = one({ type: 'enum', values: ['a', 'A'] });
      expect(bind(cased, 'A').v).toBe('A');
    });

    it('turns user mentions into qualified ids and @name into the name', () => {
      const user = one({ type: 'user' });
      expect(bind(user, '<@123>').v).toBe('discord:user:123');
      expect(bind(user, '<@!123>').v).toBe('discord:user:123');
      expect(bind(user, '@alice').v).toBe('alice');
      expect(bind(user, '"@Alice Smith"').v).toBe('Alice Smith');
      expect(bind(user, 'teams:user:29:abc').v).toBe('teams:user:29:abc');
    });

    it('refuses things that are not a user', () => {
      const user = one({ type: 'user' });
      expect(bind(user, 'alice').v).toBe('alice');
      expect(problem(user, 'two words')).toContain('too many arguments');
      expect(problem(user, 'a/b')).toBe('v must be a user: a mention (@name or <@123>) or a user id like discord:user:123 (got "a/b")');
      expect(problem(user, '<@&5>')).toContain('v must be a user: a mention');
      expect(problem(user, '@')).toBe('v needs a name after @');
      expect(problem(user, '@everyone')).toBe('v must be one user, not @everyone');
      expect(problem(user, 'discord:channel:1')).toBe('v must be a user, but "discord:channel:1" is a channel id');
    });

    it('turns channel mentions into qualified ids and #name or an alias into the name', () => {
      const channel = one({ type: 'channel' });
      expect(bind(channel, '<#456>').v).toBe('discord:channel:456');
      expect(bind(channel, '#builds').v).toBe('builds');
      expect(bind(channel, 'builds').v).toBe('builds');
      expect(bind(channel, 'discord:channel:456').v).toBe('discord:channel:456');
      expect(bind(channel, 'teams:conversation:19:abc@thread.v2').v).toBe('teams:conversation:19:abc@thread.v2');
    });

    it('refuses things that are not a channel', () => {
      const channel = one({ type: 'channel' });
      expect(problem(channel, '#')).toBe('v must be a channel: #name, <#123>, an alias, or an id like discord:channel:123 (got "#")');
      expect(problem(channel, 'discord:user:1')).toBe('v must be a channel, but "discord:user:1" is a user id');
    });

    it('joins the remaining positionals of a rest argument with single spaces', () => {
      const specs: ArgSpec[] = [{ name: 'to', type: 'channel', required: true }, { name: 'text', type: 'rest', required: true }];
      expect(bind(specs, '#ops  the   build "is  green"')).toEqual({ to: 'ops', text: 'the build is  green' });
    });

    it('still reads flags between the words of a rest argument', () => {
      const specs: ArgSpec[] = [{ name: 'text', type: 'rest' }, { name: 'loud', type: 'bool', flag: true }];
      expect(bind(specs, 'hello --loud world')).toEqual({ text: 'hello world', loud: true });
      expect(bind(specs, 'hello -- --loud world')).toEqual({ text: 'hello --loud world', loud: false });
    });

    it('leaves an empty rest argument out', () => {
      expect(bind([{ name: 'text', type: 'rest' }], '')).toEqual({});
    });
  });

  describe('errors', () => {
    it('names a missing required positional', () => {
      expect(problem(DEPLOY, 'web', DEPLOY_USAGE)).toBe('missing required argument <env>');
    });

    it('names a missing required flag', () => {
      expect(problem([{ name: 'ref', type: 'string', flag: true, required: true }], '')).toBe('missing required flag --ref');
    });

    it('names a missing required rest argument', () => {
      expect(problem([{ name: 'text', type: 'rest', required: true }], '')).toBe('missing required argument <text>');
    });

    it('lists the known flags for an unknown one', () => {
      expect(problem(DEPLOY, 'web prod --frob', DEPLOY_USAGE)).toBe(
        'unknown flag --frob (known flags: --ref, --lines); to pass "--frob" as an argument, quote it or put -- before it',
      );
    });

    it('says when the command takes no flags at all', () => {
      expect(problem([], '--frob=1', 'ping')).toBe('unknown flag --frob (ping takes no flags)');
    });

    it('shows the extra words and how many the command takes', () => {
      expect(problem(DEPLOY, 'web prod extra', DEPLOY_USAGE)).toBe('too many arguments: "extra" (deploy takes 2)');
      expect(problem(DEPLOY, 'web prod a b c d', DEPLOY_USAGE)).toBe('too many arguments: "a", "b", "c" and 1 more (deploy takes 2)');
      expect(problem([], 'x', 'ping')).toBe('too many arguments: "x" (ping takes no arguments)');
      expect(problem([{ name: 'n', type: 'int' }], '1 2', 'wishlist [n:int]')).toBe('too many arguments: "2" (wishlist takes at most 1)');
      expect(problem([], 'x', 'deploy status')).toBe('too many arguments: "x" (deploy status takes no arguments)');
    });

    it('says a flag needs a value at the end of the line or before another flag', () => {
      expect(problem(DEPLOY, 'web prod --ref', DEPLOY_USAGE)).toBe('--ref needs a value');
      expect(problem(DEPLOY, 'web prod --ref --lines 3', DEPLOY_USAGE)).toBe('--ref needs a value');
      expect(problem(DEPLOY, 'web prod --ref -- x', DEPLOY_USAGE)).toBe('--ref needs a value');
    });

    it('refuses a flag given twice', () => {
      expect(problem(DEPLOY, 'web prod --ref a --ref=b', DEPLOY_USAGE)).toBe('flag --ref given twice');
    });

    it('names the flag in a type error', () => {
      expect(problem(DEPLOY, 'web prod --lines ten', DEPLOY_USAGE)).toBe('--lines must be a whole number (got "ten")');
    });

    it('shows a long or odd value escaped and cut short', () => {
      const message = problem(one({ type: 'int' }), `'${'x'.repeat(100)}\n'`);
      expect(message).toBe(`v must be a whole number (got "${'x'.repeat(57)}…")`);
      expect(problem(one({ type: 'int' }), '"a\\\nb"')).toBe('v must be a whole number (got "a\\nb")');
    });

    it('refuses a schema that is itself invalid with a system error', () => {
      const error = failure([{ name: 'a', type: 'rest' }, { name: 'b', type: 'string' }], 'x');
      expect(error.code).toBe('E_INTERNAL');
      expect(error.audience).toBe('system');
      expect(error.message).toContain('argument "a" is of type rest, so it must be the last positional argument');
    });
  });
});
