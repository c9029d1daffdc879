import { UserError } from '../core/errors.js';

/** One word of a command line. */
export interface Token {
  value: string;
  /**
   * True when the word begins with a quote or a backslash escape (`"--ref"`, `\--ref`, `''`): such a word is
   * never a flag nor the `--` marker. `--ref="a b"` begins unquoted, so it stays a flag.
   */
  quoted: boolean;
}

const BACKSLASH = 92;
const DOUBLE_QUOTE = 34;
const SINGLE_QUOTE = 39;

/**
 * Splits a command line into words, shell-like: whitespace separates, "double" and 'single' quotes group,
 * a backslash escapes the next character (except inside single quotes), and adjacent parts join into one word.
 * Throws `UserError('E_PARSE')` for an unclosed quote or a trailing lone backslash.
 */
export function tokenize(line: string): Token[] {
  const tokens: Token[] = [];
  const end = line.length;
  let i = 0;
  while (i < end) {
    if (isSpace(line.charCodeAt(i))) i++;
    else i = readWord(line, i, tokens);
  }
  return tokens;
}

/** Reads one word starting at `start`, pushes it, and returns the index just after it. */
function readWord(line: string, start: number, out: Token[]): number {
  const end = line.length;
  let value = '';
  let quoted = false;
  // Plain characters are not copied one by one: a segment [from, i) is sliced when something special ends it.
  let from = start;
  let i = start;
  while (i < end) {
    const c = line.charCodeAt(i);
    if (c > SINGLE_QUOTE && c < 0xa0 && c !== BACKSLASH) {
      i++;
    } else if (c === BACKSLASH) {
      if (i + 1 === end) throw loneBackslash(line, i);
      value += line.slice(from, i);
      quoted ||= i === start;
      from = i + 1;
      i += 2;
    } else if (c === DOUBLE_QUOTE) {
      value += line.slice(from, i);
      quoted ||= i === start;
      const close = readDoubleQuoted(line, i);
      value += close.text;
      i = close.next;
      from = i;
    } else if (c === SINGLE_QUOTE) {
      value += line.slice(from, i);
      quoted ||= i === start;
      const close = line.indexOf("'", i + 1);
      if (close < 0) throw unclosedQuote(line, i, 'single');
      value += line.slice(i + 1, close);
      i = close + 1;
      from = i;
    } else if (isSpace(c)) {
      break;
    } else {
      i++;
    }
  }
  out.push({ value: from === start ? line.slice(start, i) : value + line.slice(from, i), quoted });
  return i;
}

/** Reads a double-quoted part whose opening quote is at `open`; inside it `\x` stands for `x`. */
function readDoubleQuoted(line: string, open: number): { text: string; next: number } {
  const end = line.length;
  let text = '';
  let from = open + 1;
  let i = from;
  while (i < end) {
    const c = line.charCodeAt(i);
    if (c === DOUBLE_QUOTE) return { text: text + line.slice(from, i), next: i + 1 };
    if (c === BACKSLASH) {
      if (i + 1 === end) break;
      text += line.slice(from, i);
      from = i + 1;
      i += 2;
    } else {
      i++;
    }
  }
  throw unclosedQuote(line, open, 'double');
}

/** The whitespace of JavaScript's `\s`, so a no-break space pasted from a chat client separates words too. */
function isSpace(c: number): boolean {
  if (c === 32 || (c >= 9 && c <= 13)) return true;
  if (c < 0xa0) return false;
  return (
    c === 0xa0 || c === 0x1680 || (c >= 0x2000 && c <= 0x200a) || c === 0x2028 || c === 0x2029 ||
    c === 0x202f || c === 0x205f || c === 0x3000 || c === 0xfeff
  );
}

/** 1-based column as a person counts it: in code points, so an emoji before the error counts once. */
function columnOf(line: string, index: number): number {
  let column = 1;
  for (let i = 0; i < index; i++) {
    const c = line.charCodeAt(i);
    if (c < 0xdc00 || c > 0xdfff || i === 0 || !isHighSurrogate(line.charCodeAt(i - 1))) column++;
  }
  return column;
}

function isHighSurrogate(c: number): boolean {
  return c >= 0xd800 && c <= 0xdbff;
}

function unclosedQuote(line: string, open: number, kind: 'single' | 'double'): UserError {
  const mark = kind === 'single' ? "'" : '"';
  const literal = kind === 'single' ? "\\'" : '\\"';
  return new UserError(
    'E_PARSE',
    `unclosed ${kind} quote (${mark}) opened at column ${columnOf(line, open)}: close the quote with ${mark}, ` +
      `or write ${literal} to type a literal ${mark}`,
  );
}

function loneBackslash(line: string, at: number): UserError {
  return new UserError(
    'E_PARSE',
    `lone backslash (\\) at the end of the line, column ${columnOf(line, at)}: escape the backslash as \\\\ ` +
      'to type a literal one',
  );
}

/**
 * Quotes a value so that `tokenize` gives it back unchanged as one token (the inverse of `tokenize`);
 * a value starting with `--` is quoted too, so it stays an argument and is not read as a flag.
 */
export function quoteToken(value: string): string {
  if (value.length > 0 && !needsQuotes(value) && !value.startsWith('--')) return value;
  if (!value.includes("'")) return `'${value}'`;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function needsQuotes(value: string): boolean {
  for (let i = 0; i < value.length; i++) {
    const c = value.charCodeAt(i);
    if (c === BACKSLASH || c === DOUBLE_QUOTE || c === SINGLE_QUOTE || isSpace(c)) return true;
  }
  return false;
}
