import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import type { ArgSpec, ArgValue } from '../../../src/core/command.js';
import { OpsroomError } from '../../../src/core/errors.js';
import { readFlag } from '../../../src/routing/flag-token.js';
import { bindArgs, parseCommandLine } from '../../../src/routing/parse-command-line.js';
import { editDistance, suggest } from '../../../src/routing/suggest.js';
import { quoteToken, tokenize } from '../../../src/routing/tokenize.js';

const RUNS = 3000;

const SCHEMAS: ArgSpec[][] = [
  [],
  [
    { name: 'service', type: 'string', required: true },
    { name: 'env', type: 'enum', values: ['staging', 'prod'], required: true },
    { name: 'ref', type: 'string', flag: true, default: 'main' },
    { name: 'lines', type: 'int', flag: true },
    { name: 'force', type: 'bool', flag: true },
  ],
  [
    { name: 'who', type: 'user', required: true },
    { name: 'where', type: 'channel' },
    { name: 'ratio', type: 'number', flag: true },
    { name: 'on', type: 'bool' },
  ],
  [
    { name: 'to', type: 'channel', required: true },
    { name: 'text', type: 'rest', required: true },
    { name: 'loud', type: 'bool', flag: true, default: true },
  ],
];

/** Pieces that stress the parser: quotes, escapes, flags, mentions, odd whitespace, control characters. */
const piece = fc.oneof(
  fc.constantFrom('"', "'", '\\', ' ', '  ', '\t', '\n', '\r', '\u00a0', '\u3000', '\u0000', '\u001b', '\u200b'),
  fc.constantFrom('-', '--', '=', '--ref', '--ref=', '--lines', '--force', '--no-force', '--no-loud', '--ratio', '--frob', '--=', '-->'),
  fc.constantFrom('prod', 'staging', 'Prod', 'web', '5', '-5', '1e3', '1e999', '9007199254740993', 'yes', 'maybe'),
  fc.constantFrom('<@1>', '<@!2>', '<@&3>', '<#4>', '@', '@al', '@everyone', '#', '#ops', 'discord:user:1', 'teams:conversation:1', 'local:role:x'),
  fc.string({ unit: 'binary', maxLength: 5 }),
  fc.string({ unit: fc.char16bits(), maxLength: 3 }),
);
// Mostly separated by a space, so that lines often hold several words and some bind successfully.
const separator = fc.constantFrom(' ', ' ', ' ', '');
const line = fc.array(fc.tuple(piece, separator), { maxLength: 10 }).map((parts) => parts.map(([p, s]) => p + s).join(''));

function userErrorOrNothing(run: () => void): void {
  try {
    run();
  } catch (error) {
    if (!(error instanceof OpsroomError)) throw error;
    expect(error.audience).toBe('user');
    expect(['E_PARSE', 'E_BAD_ARGS']).toContain(error.code);
    expect(error.message.length).toBeGreaterThan(0);
  }
}

function expectTyped(spec: ArgSpec, value: ArgValue | undefined): void {
  if (value === undefined) return expect(spec.required).not.toBe(true);
  if (spec.type === 'int') return expect(Number.isSafeInteger(value)).toBe(true);
  if (spec.type === 'number') return expect(Number.isFinite(value)).toBe(true);
  if (spec.type === 'bool') return expect(typeof value).toBe('boolean');
  if (spec.type === 'enum') return expect(spec.values).toContain(value);
  expect(typeof value).toBe('string');
}

/** The textbook optimal-string-alignment distance, without shortcuts, to check the fast one against. */
function referenceDistance(a: string, b: string): number {
  const x = Array.from(a);
  const y = Array.from(b);
  const d = Array.from({ length: x.length + 1 }, (_, i) => Array.from({ length: y.length + 1 }, (_, j) => (i === 0 ? j : j === 0 ? i : 0)));
  for (let i = 1; i <= x.length; i++) {
    for (let j = 1; j <= y.length; j++) {
      const row = d[i] as number[];
      const up = d[i - 1] as number[];
      const cost = x[i - 1] === y[j - 1] ? 0 : 1;
      row[j] = Math.min((up[j] as number) + 1, (row[j - 1] as number) + 1, (up[j - 1] as number) + cost);
      if (i > 1 && j > 1 && x[i - 1] === y[j - 2] && x[i - 2] === y[j - 1]) {
        row[j] = Math.min(row[j] as number, ((d[i - 2] as number[])[j - 2] as number) + 1);
      }
    }
  }
  return (d[x.length] as number[])[y.length] as number;
}

describe('the command-line parser', () => {
  it('answers any line with a result or a user error, never anything else', () => {
    fc.assert(
      fc.property(line, (text) => {
        userErrorOrNothing(() => parseCommandLine(tokenize(text)));
        for (const specs of SCHEMAS) userErrorOrNothing(() => bindArgs(specs, tokenize(text), 'cmd'));
      }),
      { numRuns: RUNS },
    );
  });

  it('binds only values of the declared types, with every required argument present', () => {
    fc.assert(
      fc.property(line, fc.constantFrom(...SCHEMAS), (text, specs) => {
        let args: Record<string, ArgValue | undefined>;
        try {
          args = bindArgs(specs, tokenize(text), 'cmd');
        } catch {
          return;
        }
        expect(Object.keys(args).every((k) => specs.some((s) => s.name === k))).toBe(true);
        for (const spec of specs) expectTyped(spec, args[spec.name]);
      }),
      { numRuns: RUNS },
    );
  });

  it('binds every well-formed call exactly, wherever its flags stand and however they are written', () => {
    const text = fc.string({ unit: 'binary', maxLength: 10 });
    const call = fc.record({
      service: text,
      env: fc.constantFrom('staging', 'prod'),
      ref: fc.option(text, { nil: undefined }),
      lines: fc.option(fc.integer({ min: -1_000_000, max: 1_000_000 }), { nil: undefined }),
      force: fc.option(fc.boolean(), { nil: undefined }),
      inline: fc.boolean(),
      slots: fc.array(fc.nat(2), { minLength: 3, maxLength: 3 }),
    });
    const deploy = SCHEMAS[1] as ArgSpec[];
    fc.assert(
      fc.property(call, (c) => {
        const groups: string[][] = [
          c.ref === undefined ? [] : c.inline ? [`--ref=${quoteToken(c.ref)}`] : ['--ref', quoteToken(c.ref)],
          c.lines === undefined ? [] : c.inline ? [`--lines=${c.lines}`] : ['--lines', String(c.lines)],
          c.force === undefined ? [] : c.inline ? [`--force=${c.force ? 'yes' : 'off'}`] : [c.force ? '--force' : '--no-force'],
        ];
        const at = (slot: number) => groups.filter((_, i) => c.slots[i] === slot).flat();
        const words = [...at(0), quoteToken(c.service), ...at(1), c.env, ...at(2)];
        expect(bindArgs(deploy, tokenize(words.join(' ')), 'deploy')).toEqual({
          service: c.service, env: c.env, ref: c.ref ?? 'main', lines: c.lines, force: c.force ?? false,
        });
      }),
      { numRuns: RUNS },
    );
  });

  it('gives back any list of words that were quoted and joined by whitespace', () => {
    const word = fc.oneof(fc.string({ unit: 'binary', maxLength: 12 }), fc.string({ unit: fc.char16bits(), maxLength: 6 }), fc.constantFrom('--x', '"', "'", '\\', ''));
    const gap = fc.constantFrom(' ', '  ', '\t', '\n', '\u00a0 ', ' \u3000');
    fc.assert(
      fc.property(fc.array(fc.tuple(word, gap), { maxLength: 8 }), fc.constantFrom('', ' ', '\t'), (words, lead) => {
        const text = lead + words.map(([w, g]) => quoteToken(w) + g).join('');
        const tokens = tokenize(text);
        expect(tokens.map((t) => t.value)).toEqual(words.map(([w]) => w));
        for (const token of tokens) expect(readFlag(token)).toBeUndefined();
      }),
      { numRuns: RUNS },
    );
  });

  it('computes the same distance as the textbook algorithm, capped at max + 1', () => {
    const text = fc.string({ unit: fc.constantFrom('a', 'b', 'c', 'd', '🚀'), maxLength: 9 });
    fc.assert(
      fc.property(text, text, fc.option(fc.nat(6), { nil: undefined }), (a, b, max) => {
        const exact = referenceDistance(a, b);
        expect(editDistance(a, b, max)).toBe(max === undefined ? exact : Math.min(exact, max + 1));
        expect(editDistance(b, a, max)).toBe(editDistance(a, b, max));
      }),
      { numRuns: RUNS },
    );
  });

  it('suggests only distinct candidates, at most limit of them', () => {
    fc.assert(
      fc.property(fc.string({ maxLength: 8 }), fc.array(fc.string({ maxLength: 8 }), { maxLength: 12 }), fc.nat(5), (name, candidates, limit) => {
        const found = suggest(name, candidates, limit);
        expect(found.length).toBeLessThanOrEqual(limit);
        expect(new Set(found).size).toBe(found.length);
        for (const f of found) expect(candidates).toContain(f);
      }),
      { numRuns: RUNS },
    );
  });
});
