import type { ArgSpec, ArgValue } from '../core/command.js';
import { UserError } from '../core/errors.js';
import { parseQualified } from '../core/identity.js';

/** An argument error with the command's usage line as its hint. */
export function badArgs(message: string, usage: string): UserError {
  return new UserError('E_BAD_ARGS', message, { hint: `usage: ${usage}` });
}

/** How an argument is named in messages: `--lines` for a flag, `env` for a positional. */
export function labelOf(spec: ArgSpec): string {
  return spec.flag === true ? `--${spec.name}` : spec.name;
}

/** A value as shown in a message: quoted, control characters escaped, long values cut. */
export function shown(value: string): string {
  if (value.length <= 60) return JSON.stringify(value);
  return JSON.stringify(`${Array.from(value).slice(0, 57).join('')}…`);
}

const INT = /^-?\d+$/;
const DECIMAL = /^-?(?:\d+(?:\.\d*)?|\.\d+)(?:[eE][-+]?\d+)?$/;
const MENTION_USER = /^<@!?(\d+)>$/;
const MENTION_CHANNEL = /^<#(\d+)>$/;
const BOOLS: ReadonlyMap<string, boolean> = new Map([
  ['true', true], ['yes', true], ['on', true], ['1', true],
  ['false', false], ['no', false], ['off', false], ['0', false],
]);
const MASS_MENTIONS = new Set(['everyone', 'here']);

/** Converts one raw argument to its schema type, or throws `E_BAD_ARGS` saying exactly what is wrong. */
export function convertArg(spec: ArgSpec, raw: string, usage: string): ArgValue {
  switch (spec.type) {
    case 'string':
    case 'rest':
      return raw;
    case 'int':
      return toInt(spec, raw, usage);
    case 'number':
      return toNumber(spec, raw, usage);
    case 'bool':
      return toBool(spec, raw, usage);
    case 'enum':
      return toEnum(spec, raw, usage);
    case 'user':
      return toUser(spec, raw, usage);
    case 'channel':
      return toChannel(spec, raw, usage);
  }
}

function toInt(spec: ArgSpec, raw: string, usage: string): number {
  if (!INT.test(raw)) throw badArgs(`${labelOf(spec)} must be a whole number (got ${shown(raw)})`, usage);
  const value = Number(raw);
  if (!Number.isSafeInteger(value)) {
    throw badArgs(`${labelOf(spec)} must be a whole number between ${Number.MIN_SAFE_INTEGER} and ${Number.MAX_SAFE_INTEGER} (got ${shown(raw)})`, usage);
  }
  return value === 0 ? 0 : value;
}

function toNumber(spec: ArgSpec, raw: string, usage: string): number {
  if (!DECIMAL.test(raw)) throw badArgs(`${labelOf(spec)} must be a number such as 12 or -0.5 (got ${shown(raw)})`, usage);
  const value = Number(raw);
  if (!Number.isFinite(value)) throw badArgs(`${labelOf(spec)} is too large a number (got ${shown(raw)})`, usage);
  return value === 0 ? 0 : value;
}

function toBool(spec: ArgSpec, raw: string, usage: string): boolean {
  const value = BOOLS.get(raw.toLowerCase());
  if (value === undefined) {
    throw badArgs(`${labelOf(spec)} must be true or false (also yes/no, on/off, 1/0; got ${shown(raw)})`, usage);
  }
  return value;
}

function toEnum(spec: ArgSpec, raw: string, usage: string): string {
  const values = spec.values ?? [];
  if (values.includes(raw)) return raw;
  // A different case is accepted when it names exactly one value (`Prod` for `prod`).
  const lower = raw.toLowerCase();
  const matches = values.filter((v) => v.toLowerCase() === lower);
  if (matches.length === 1) return matches[0] as string;
  throw badArgs(`${labelOf(spec)} must be one of ${values.join(', ')} (got ${shown(raw)})`, usage);
}

/**
 * A mention becomes a qualified id (`<@123>` -> `discord:user:123`); `@name` and a bare name (how people are named
 * on the console) become the name; names are resolved later.
 */
const BARE_NAME = /^[\p{L}\p{N}_.-]+$/u;

function toUser(spec: ArgSpec, raw: string, usage: string): string {
  const mention = MENTION_USER.exec(raw);
  if (mention) return `discord:user:${mention[1]}`;
  if (raw.startsWith('@') || BARE_NAME.test(raw)) {
    const name = raw.startsWith('@') ? raw.slice(1) : raw;
    if (name.trim().length === 0) throw badArgs(`${labelOf(spec)} needs a name after @`, usage);
    if (MASS_MENTIONS.has(name)) throw badArgs(`${labelOf(spec)} must be one user, not @${name}`, usage);
    return name;
  }
  const qualified = parseQualified(raw);
  if (qualified?.kind === 'user') return raw;
  if (qualified) throw badArgs(`${labelOf(spec)} must be a user, but ${shown(raw)} is a ${qualified.kind} id`, usage);
  throw badArgs(
    `${labelOf(spec)} must be a user: a mention (@name or <@123>) or a user id like discord:user:123 (got ${shown(raw)})`,
    usage,
  );
}

/** `<#123>` becomes `discord:channel:123`, `#name` and a bare alias become the name; names are resolved later. */
function toChannel(spec: ArgSpec, raw: string, usage: string): string {
  const mention = MENTION_CHANNEL.exec(raw);
  if (mention) return `discord:channel:${mention[1]}`;
  const qualified = parseQualified(raw);
  if (qualified?.kind === 'channel' || qualified?.kind === 'conversation') return raw;
  if (qualified) throw badArgs(`${labelOf(spec)} must be a channel, but ${shown(raw)} is a ${qualified.kind} id`, usage);
  const name = raw.startsWith('#') ? raw.slice(1) : raw;
  if (name.trim().length === 0) {
    throw badArgs(`${labelOf(spec)} must be a channel: #name, <#123>, an alias, or an id like discord:channel:123 (got ${shown(raw)})`, usage);
  }
  return name;
}
