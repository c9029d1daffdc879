import { ApplicationCommandOptionType } from 'discord-api-types/v10';
import type { ArgSpec, CommandSpec } from '../../src/core/command.js';

/** An option of a slash-command interaction, as Discord sends it. */
export interface SlashOption {
  name: string;
  type: ApplicationCommandOptionType;
  value?: string | number | boolean;
  options?: readonly SlashOption[];
}

const PLAIN_WORD = /^[^\s"'\\]+$/;

/** A value as one word of a command line, quoted only when the tokenizer would otherwise split or misread it. */
export function quoteWord(value: string): string {
  if (PLAIN_WORD.test(value) && !value.startsWith('--')) return value;
  return `"${value.replace(/["\\]/g, '\\$&')}"`;
}

function wordOf(option: SlashOption): string {
  const value = option.value;
  switch (option.type) {
    case ApplicationCommandOptionType.User: return `<@${String(value)}>`;
    case ApplicationCommandOptionType.Channel: return `<#${String(value)}>`;
    case ApplicationCommandOptionType.Role: return `<@&${String(value)}>`;
    default: return typeof value === 'string' ? quoteWord(value) : String(value);
  }
}

function flagWords(spec: ArgSpec, option: SlashOption): string[] {
  if (option.type === ApplicationCommandOptionType.Boolean) return [option.value === true ? `--${spec.name}` : `--no-${spec.name}`];
  return [`--${spec.name}`, wordOf(option)];
}

/**
 * Positionals in the command's order. Discord lets a person skip an optional option and fill a later one, which a
 * command line cannot say by position: the skipped one is written as its default, or as an empty word.
 */
function positionalWords(specs: readonly ArgSpec[], byName: Map<string, SlashOption>): string[] {
  const positionals = specs.filter((s) => s.flag !== true);
  const lastGiven = positionals.reduce((last, spec, index) => (byName.has(spec.name.toLowerCase()) ? index : last), -1);
  return positionals.slice(0, lastGiven + 1).map((spec) => {
    const option = byName.get(spec.name.toLowerCase());
    if (option) return wordOf(option);
    return spec.default === undefined ? '""' : quoteWord(String(spec.default));
  });
}

/** The leaf options of an interaction and the subcommand path (`status` of `/deploy status`), if any. */
export function leafOptions(options: readonly SlashOption[]): { sub: string | undefined; values: readonly SlashOption[] } {
  const sub = options.find((o) => o.type === ApplicationCommandOptionType.Subcommand);
  if (sub) return { sub: sub.name, values: sub.options ?? [] };
  const group = options.find((o) => o.type === ApplicationCommandOptionType.SubcommandGroup);
  if (group) {
    const inner = leafOptions(group.options ?? []);
    return { sub: [group.name, inner.sub].filter(Boolean).join(' '), values: inner.values };
  }
  return { sub: undefined, values: options };
}

/**
 * The command line a slash command stands for, as if typed after the prefix: `deploy web prod --ref main`.
 * With the command's spec, positionals go in its order and flags by name; without it, values in the order sent.
 */
export function commandLineOf(commandName: string, options: readonly SlashOption[], routes: ReadonlyMap<string, CommandSpec>): string {
  const { sub, values } = leafOptions(options);
  const path = sub === undefined ? commandName : `${commandName} ${sub}`;
  const spec = routes.get(path);
  if (!spec) return [path, ...values.map(wordOf)].join(' ');
  const byName = new Map(values.map((o) => [o.name, o]));
  const flags = spec.args.filter((a) => a.flag === true).flatMap((a) => {
    const option = byName.get(a.name.toLowerCase());
    return option ? flagWords(a, option) : [];
  });
  return [spec.name, ...positionalWords(spec.args, byName), ...flags].join(' ');
}
