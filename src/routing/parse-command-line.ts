import { UserError } from '../core/errors.js';
import { canBeFlagValue, isEndOfFlags, readFlag } from './flag-token.js';
import type { Token } from './tokenize.js';

export { bindArgs, usageOf } from './bind-args.js';

/** A command line split into arguments and flags without a schema. */
export interface ParsedLine {
  /** The words that are not flags nor flag values, in order. */
  positionals: Token[];
  /** Flag name (without `--`) to its value, or `true` for a flag given without one. */
  flags: Map<string, string | true>;
  /** The flag words exactly as typed, in order (`--ref=main`, `--force`), without separate values. */
  rawFlags: string[];
}

/**
 * Splits words into flags and arguments when no schema is at hand: `--name value`, `--name=value`,
 * `--name` alone (followed by another flag, by nothing, or named in `boolFlags`) is `true`, `--` ends the flags.
 * A quoted word and a single-dash word (`-5`) are always arguments. Use `bindArgs` when the schema is known.
 */
export function parseCommandLine(tokens: readonly Token[], boolFlags: ReadonlySet<string> = new Set()): ParsedLine {
  const line: ParsedLine = { positionals: [], flags: new Map(), rawFlags: [] };
  let i = 0;
  while (i < tokens.length) {
    const token = tokens[i] as Token;
    i++;
    if (isEndOfFlags(token)) {
      for (; i < tokens.length; i++) line.positionals.push(tokens[i] as Token);
      break;
    }
    const flag = readFlag(token);
    if (flag === undefined) {
      line.positionals.push(token);
      continue;
    }
    if (line.flags.has(flag.name)) throw new UserError('E_BAD_ARGS', `flag --${flag.name} given twice`);
    line.rawFlags.push(token.value);
    let value: string | true = flag.inline ?? true;
    const next = tokens[i];
    if (value === true && !boolFlags.has(flag.name) && next !== undefined && canBeFlagValue(next)) {
      value = next.value;
      i++;
    }
    line.flags.set(flag.name, value);
  }
  return line;
}
