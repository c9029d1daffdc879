import { describe, expect, it } from 'vitest';
import { OpsroomError } from '../../../src/core/errors.js';
import { quoteToken, tokenize } from '../../../src/routing/tokenize.js';

const values = (line: string) => tokenize(line).map((t) => t.value);

function parseError(line: string): OpsroomError {
  try {
    tokenize(line);
  } catch (error) {
    expect(error).toBeInstanceOf(OpsroomError);
    return error as OpsroomError;
  }
  throw new Error(`tokenize(${JSON.stringify(line)}) did not throw`);
}

describe('tokenize', () => {
  it('splits plain words on any run of whitespace', () => {
    expect(tokenize('  deploy\tweb \n prod  ')).toEqual([
      { value: 'deploy', quoted: false },
      { value: 'web', quoted: false },
      { value: 'prod', quoted: false },
    ]);
  });

  it('gives no tokens for an empty or blank line', () => {
    expect(tokenize('')).toEqual([]);
    expect(tokenize(' \t\r\n ')).toEqual([]);
  });

  it('separates words on unicode spaces such as a no-break space', () => {
    expect(values('a\u00a0b\u3000c\u2009d\ufeffe')).toEqual(['a', 'b', 'c', 'd', 'e']);
  });

  it('keeps a zero-width space and control characters inside a word', () => {
    expect(values('a\u200bb c\u0000d')).toEqual(['a\u200bb', 'c\u0000d']);
  });

  it('groups words in double quotes and marks them quoted', () => {
    expect(tokenize('say "hello world"')).toEqual([
      { value: 'say', quoted: false },
      { value: 'hello world', quoted: true },
    ]);
  });

  it('groups words in single quotes', () => {
    expect(values("say 'hello  world'")).toEqual(['say', 'hello  world']);
  });

  it('keeps a quoted empty string as a token', () => {
    expect(tokenize(`a "" '' b`)).toEqual([
      { value: 'a', quoted: false },
      { value: '', quoted: true },
      { value: '', quoted: true },
      { value: 'b', quoted: false },
    ]);
  });

  it('joins adjacent quoted and unquoted parts into one token', () => {
    expect(values('a"b c"d')).toEqual(['ab cd']);
    expect(values(`x'y'"z"w`)).toEqual(['xyzw']);
  });

  it('unescapes any character after a backslash inside double quotes', () => {
    expect(values(String.raw`"a \"b\" \\ \n \x"`)).toEqual([String.raw`a "b" \ n x`]);
  });

  it('takes everything inside single quotes literally, backslashes included', () => {
    expect(values(String.raw`'a\b \" \\'`)).toEqual([String.raw`a\b \" \\`]);
  });

  it('lets a double quote hold a single quote and the other way round', () => {
    expect(values(`"it's" 'say "hi"'`)).toEqual(["it's", 'say "hi"']);
  });

  it('escapes whitespace and quotes with a backslash outside quotes', () => {
    expect(values(String.raw`a\ b \"c \'d \\e`)).toEqual(['a b', '"c', "'d", '\\e']);
  });

  it('marks a word that begins with an escape as quoted, so it is never read as a flag', () => {
    expect(tokenize(String.raw`\--ref`)).toEqual([{ value: '--ref', quoted: true }]);
  });

  it('marks only words that begin with a quote or escape as quoted', () => {
    expect(tokenize(`--ref="a b" x'y' "z"w`)).toEqual([
      { value: '--ref=a b', quoted: false },
      { value: 'xy', quoted: false },
      { value: 'zw', quoted: true },
    ]);
  });

  it('leaves dashes, equals signs and mentions alone', () => {
    expect(values('--ref=main -5 -- <@123> #ops @alice')).toEqual(['--ref=main', '-5', '--', '<@123>', '#ops', '@alice']);
  });

  it('keeps emoji and other astral characters whole, escaped or not', () => {
    expect(values('deploy 🚀 \\😀x "🙂"')).toEqual(['deploy', '🚀', '😀x', '🙂']);
  });

  it('refuses an unclosed double quote, naming its column and the fix', () => {
    const error = parseError('deploy "web prod');
    expect(error.code).toBe('E_PARSE');
    expect(error.audience).toBe('user');
    expect(error.message).toBe('unclosed double quote (") opened at column 8: close the quote with ", or write \\" to type a literal "');
  });

  it('refuses an unclosed single quote, naming its column', () => {
    expect(parseError("echo it's").message).toMatch(/^unclosed single quote \(\'\) opened at column 8: close the quote/);
  });

  it('counts columns in characters, so an emoji before the quote counts once', () => {
    expect(parseError('🚀🚀 "x').message).toContain('column 4');
  });

  it('reports a double quote left open by a trailing escape as unclosed', () => {
    expect(parseError('"abc\\').message).toContain('unclosed double quote (") opened at column 1');
  });

  it('refuses a trailing lone backslash and says to escape it', () => {
    const error = parseError('path C:\\');
    expect(error.code).toBe('E_PARSE');
    expect(error.message).toBe('lone backslash (\\) at the end of the line, column 8: escape the backslash as \\\\ to type a literal one');
  });

  it('accepts an escaped backslash at the end of the line', () => {
    expect(values('path C:\\\\')).toEqual(['path', 'C:\\']);
  });
});

describe('quoteToken', () => {
  it('leaves a plain word as it is', () => {
    expect(quoteToken('deploy')).toBe('deploy');
    expect(quoteToken('-5')).toBe('-5');
  });

  it('quotes the empty string, whitespace, quotes, backslashes and leading double dashes', () => {
    expect(quoteToken('')).toBe("''");
    expect(quoteToken('a b')).toBe("'a b'");
    expect(quoteToken(`it's "x" \\`)).toBe(String.raw`"it's \"x\" \\"`);
    expect(quoteToken('--ref')).toBe("'--ref'");
  });

  it('produces text that tokenizes back to the same single value', () => {
    for (const value of ['', ' ', "'", '"', '\\', `a'b"c\\d e`, '--x=1', '\u00a0', 'x\ny']) {
      expect(tokenize(quoteToken(value)).map((t) => t.value)).toEqual([value]);
    }
  });
});
