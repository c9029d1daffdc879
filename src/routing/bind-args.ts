import type { ArgSpec, ParsedArgs } from '../core/command.js';
import { schemaOf, type ArgSchema } from './arg-schema.js';
import { badArgs, convertArg, shown } from './convert-arg.js';
import { canBeFlagValue, isEndOfFlags, readFlag, type FlagToken } from './flag-token.js';
import type { Token } from './tokenize.js';
import { commandNameOf } from './usage-of.js';

export { usageOf } from './usage-of.js';
export { validateArgSpecs } from './arg-schema.js';

/** Flag values as typed: a string, or a boolean for a bool flag given alone or negated. */
type FlagValues = Map<string, string | boolean>;

/**
 * Binds the words after the command name to its argument schema: splits flags from positionals knowing
 * which flags are bool (never consuming the next word; `--no-name` sets false), converts every value to
 * its type, fills defaults, and throws `UserError('E_BAD_ARGS')` naming the exact problem, with the usage as hint.
 * A bool flag neither given nor defaulted is `false`; any other absent optional argument is left out.
 */
export function bindArgs(specs: readonly ArgSpec[], tokens: readonly Token[], usage: string): ParsedArgs {
  const schema = schemaOf(specs);
  const flags: FlagValues = new Map();
  const positionals = splitFlags(schema, tokens, flags, usage);
  const raw = assignPositionals(schema, positionals, usage);
  const args: ParsedArgs = {};
  for (const spec of schema.specs) {
    const value = spec.flag === true ? flags.get(spec.name) : raw.get(spec);
    if (value === undefined) fillAbsent(args, spec, usage);
    else args[spec.name] = typeof value === 'boolean' ? value : convertArg(spec, value, usage);
  }
  return args;
}

/** Takes the flags out of the words and returns the positional words in order. */
function splitFlags(schema: ArgSchema, tokens: readonly Token[], flags: FlagValues, usage: string): string[] {
  const positionals: string[] = [];
  for (let i = 0; i < tokens.length; i++) {
    const token = tokens[i] as Token;
    if (isEndOfFlags(token)) {
      for (i++; i < tokens.length; i++) positionals.push((tokens[i] as Token).value);
      break;
    }
    const flag = readFlag(token);
    if (flag === undefined) positionals.push(token.value);
    else i = takeFlag(schema, flag, tokens, i, flags, usage);
  }
  return positionals;
}

/** Records one flag and returns the index of the last word it used (itself, or its value). */
function takeFlag(schema: ArgSchema, flag: FlagToken, tokens: readonly Token[], at: number, flags: FlagValues, usage: string): number {
  const { spec, negated } = flagSpecOf(schema, flag.name, usage);
  if (flags.has(spec.name)) throw badArgs(`flag --${spec.name} given twice`, usage);
  if (spec.type === 'bool') {
    if (negated && flag.inline !== undefined) throw badArgs(`--${flag.name} takes no value (got ${shown(flag.inline)})`, usage);
    flags.set(spec.name, negated ? false : flag.inline ?? true);
    return at;
  }
  if (flag.inline !== undefined) {
    flags.set(spec.name, flag.inline);
    return at;
  }
  const next = tokens[at + 1];
  if (next === undefined || !canBeFlagValue(next)) throw badArgs(`--${spec.name} needs a value`, usage);
  flags.set(spec.name, next.value);
  return at + 1;
}

function flagSpecOf(schema: ArgSchema, name: string, usage: string): { spec: ArgSpec; negated: boolean } {
  const spec = schema.flags.get(name);
  if (spec !== undefined) return { spec, negated: false };
  const base = name.startsWith('no-') ? schema.flags.get(name.slice(3)) : undefined;
  if (base?.type === 'bool') return { spec: base, negated: true };
  const known = schema.flagList.length > 0 ? `known flags: ${schema.flagList}` : `${commandNameOf(usage)} takes no flags`;
  const asText = schema.positionals.length > 0 ? `; to pass ${shown(`--${name}`)} as an argument, quote it or put -- before it` : '';
  throw badArgs(`unknown flag --${name} (${known})${asText}`, usage);
}

/** Pairs positional words with positional specs; a final `rest` takes the remaining words joined by single spaces. */
function assignPositionals(schema: ArgSchema, words: string[], usage: string): Map<ArgSpec, string> {
  const specs = schema.positionals;
  const single = schema.rest === undefined ? specs.length : specs.length - 1;
  if (schema.rest === undefined && words.length > single) throw tooMany(schema, words.slice(single), usage);
  const raw = new Map<ArgSpec, string>();
  for (let i = 0; i < single && i < words.length; i++) raw.set(specs[i] as ArgSpec, words[i] as string);
  if (schema.rest !== undefined && words.length > single) raw.set(schema.rest, words.slice(single).join(' '));
  return raw;
}

function tooMany(schema: ArgSchema, extra: string[], usage: string): Error {
  const listed = extra.slice(0, 3).map(shown).join(', ') + (extra.length > 3 ? ` and ${extra.length - 3} more` : '');
  const count = schema.positionals.length;
  const takes = count === 0 ? 'no arguments' : schema.positionals.every((s) => s.required === true) ? `${count}` : `at most ${count}`;
  return badArgs(`too many arguments: ${listed} (${commandNameOf(usage)} takes ${takes})`, usage);
}

function fillAbsent(args: ParsedArgs, spec: ArgSpec, usage: string): void {
  if (spec.required === true) {
    throw badArgs(spec.flag === true ? `missing required flag --${spec.name}` : `missing required argument <${spec.name}>`, usage);
  }
  if (spec.default !== undefined) args[spec.name] = spec.default;
  else if (spec.flag === true && spec.type === 'bool') args[spec.name] = false;
}
