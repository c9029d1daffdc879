import type { ArgSpec, CommandSpec } from '../core/command.js';

/** The usage line of a command: its own `usage`, or one built from its schema (`deploy <service> <env:staging|prod> [--ref <string>]`). */
export function usageOf(spec: CommandSpec): string {
  if (spec.usage !== undefined && spec.usage.trim().length > 0) return spec.usage;
  const positionals = spec.args.filter((a) => a.flag !== true).map(positionalUsage);
  const flags = spec.args.filter((a) => a.flag === true).map(flagUsage);
  return [spec.name, ...positionals, ...flags].join(' ');
}

function positionalUsage(arg: ArgSpec): string {
  const text = arg.type === 'string' ? arg.name : arg.type === 'rest' ? `${arg.name}...` : `${arg.name}:${typeText(arg)}`;
  return arg.required === true ? `<${text}>` : `[${text}]`;
}

function flagUsage(arg: ArgSpec): string {
  const text = arg.type === 'bool' ? `--${arg.name}` : `--${arg.name} <${typeText(arg)}>`;
  return arg.required === true ? text : `[${text}]`;
}

function typeText(arg: ArgSpec): string {
  return arg.type === 'enum' ? (arg.values ?? []).join('|') : arg.type;
}

/** The command name at the start of a usage line (`deploy status` in `deploy status <id>`), for messages. */
export function commandNameOf(usage: string): string {
  const words: string[] = [];
  for (const word of usage.trim().split(/\s+/)) {
    if (word.length === 0 || '<[-({'.includes(word.charAt(0))) break;
    words.push(word);
  }
  return words.length > 0 ? words.join(' ') : 'the command';
}
