import type { ArgSpec } from '../core/command.js';
import { validateArgSpecs } from '../routing/arg-schema.js';
import { canBeFlagValue, isEndOfFlags, readFlag } from '../routing/flag-token.js';
import { tokenize, type Token } from '../routing/tokenize.js';

const ARG_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
const MAX_POSITIONALS = 4;

/** What people typed after the command name, split into positional words and flags. */
interface Typed {
  positionals: string[];
  flags: Map<string, string | true>;
}

/**
 * An argument schema that accepts the ways people typed a wished-for command: positional words become `arg1`,
 * `arg2`... (required when every line had them, `int` when every value was a whole number); `--name value` becomes a
 * string flag, `--name` alone a bool flag. Lines that cannot be read (an unclosed quote) are skipped.
 */
export function argsFromTypings(command: string, lines: readonly string[]): ArgSpec[] {
  const typed = lines.flatMap((line) => {
    const read = readLine(command, line);
    return read ? [read] : [];
  });
  if (typed.length === 0) return [];
  const args = [...positionalsOf(typed), ...flagsOf(typed)];
  return validateArgSpecs(args).length === 0 ? args : [];
}

function readLine(command: string, line: string): Typed | undefined {
  let tokens: Token[];
  try {
    tokens = tokenize(line);
  } catch {
    return undefined;
  }
  const words = command.split(' ').length;
  const rest = tokens.slice(words);
  const typed: Typed = { positionals: [], flags: new Map() };
  for (let i = 0; i < rest.length; i++) {
    const token = rest[i] as Token;
    if (isEndOfFlags(token)) {
      typed.positionals.push(...rest.slice(i + 1).map((t) => t.value));
      break;
    }
    const flag = readFlag(token);
    if (flag === undefined || !ARG_NAME.test(flag.name)) {
      typed.positionals.push(token.value);
      continue;
    }
    const next = rest[i + 1];
    if (flag.inline !== undefined) typed.flags.set(flag.name, flag.inline);
    else if (next !== undefined && canBeFlagValue(next)) {
      typed.flags.set(flag.name, next.value);
      i++;
    } else typed.flags.set(flag.name, true);
  }
  return typed;
}

function positionalsOf(typed: Typed[]): ArgSpec[] {
  const most = Math.max(0, ...typed.map((t) => t.positionals.length));
  const specs: ArgSpec[] = [];
  for (let i = 0; i < Math.min(most, MAX_POSITIONALS); i++) {
    const last = i === MAX_POSITIONALS - 1 && most > MAX_POSITIONALS;
    const values = typed.map((t) => (last ? t.positionals.slice(i).join(' ') : t.positionals[i])).filter((v): v is string => v !== undefined && v !== '');
    const required = values.length === typed.length;
    const type = last ? 'rest' : values.length > 0 && values.every((v) => /^-?\d{1,15}$/.test(v)) ? 'int' : 'string';
    specs.push({ name: `arg${i + 1}`, type, ...(required ? { required: true } : {}), description: `as typed: ${examples(values)}` });
  }
  // A required argument may not follow an optional one.
  const firstOptional = specs.findIndex((s) => s.required !== true);
  return firstOptional < 0 ? specs : specs.map((spec, i) => (i > firstOptional ? optionalOf(spec) : spec));
}

function optionalOf(spec: ArgSpec): ArgSpec {
  const { required: _required, ...optional } = spec;
  return optional;
}

function flagsOf(typed: Typed[]): ArgSpec[] {
  const names = [...new Set(typed.flatMap((t) => [...t.flags.keys()]))].sort();
  return names.map((name) => {
    const values = typed.map((t) => t.flags.get(name)).filter((v) => v !== undefined);
    const bool = values.every((v) => v === true);
    return bool
      ? { name, type: 'bool', flag: true, description: 'as typed: alone' }
      : { name, type: 'string', flag: true, description: `as typed: ${examples(values.filter((v): v is string => typeof v === 'string'))}` };
  });
}

function examples(values: readonly string[]): string {
  const distinct = [...new Set(values)].slice(0, 3).map((v) => JSON.stringify(v.length > 30 ? `${v.slice(0, 29)}…` : v));
  return distinct.length === 0 ? 'left out' : distinct.join(', ');
}
