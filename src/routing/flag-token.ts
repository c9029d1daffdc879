import type { Token } from './tokenize.js';

/** A flag as typed: `--name` (inline undefined) or `--name=value`. */
export interface FlagToken {
  name: string;
  inline: string | undefined;
}

const DASH = 45;

/**
 * Reads a flag: an unquoted word made of `--`, an ASCII letter, then anything up to an optional `=value`.
 * Everything else is an argument: a quoted word, `--` itself, `-5`, `--5`, `-->`.
 */
export function readFlag(token: Token): FlagToken | undefined {
  if (token.quoted) return undefined;
  const text = token.value;
  if (text.length < 3 || text.charCodeAt(0) !== DASH || text.charCodeAt(1) !== DASH) return undefined;
  const first = text.charCodeAt(2) | 0x20;
  if (first < 97 || first > 122) return undefined;
  const eq = text.indexOf('=', 3);
  return eq < 0 ? { name: text.slice(2), inline: undefined } : { name: text.slice(2, eq), inline: text.slice(eq + 1) };
}

/** `--` alone (unquoted) ends the flags: every word after it is an argument. */
export function isEndOfFlags(token: Token): boolean {
  return !token.quoted && token.value === '--';
}

/** Whether a word can stand as the value of a flag that needs one. */
export function canBeFlagValue(token: Token): boolean {
  return !isEndOfFlags(token) && readFlag(token) === undefined;
}
