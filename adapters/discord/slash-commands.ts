import {
  ApplicationCommandOptionType, ApplicationCommandType, ApplicationIntegrationType, InteractionContextType, Routes,
  type APIApplicationCommandBasicOption, type APIApplicationCommandOption, type RESTPostAPIChatInputApplicationCommandsJSONBody,
  type RESTPutAPIApplicationCommandsResult,
} from 'discord-api-types/v10';
import type { REST } from 'discord.js';
import type { ArgSpec, ArgType, CommandSpec } from '../../src/core/command.js';
import { OpsroomError } from '../../src/core/errors.js';
import { clamp } from './render-embed.js';

/** Discord's limits on application commands. */
const LIMITS = { commands: 100, subcommands: 25, options: 25, choices: 25, description: 100, choice: 100 } as const;
const NAME = /^[-_'\p{L}\p{N}\p{sc=Deva}\p{sc=Thai}]{1,32}$/u;
/** The subcommand a plain command becomes when two-word commands share its first word (`deploy` next to `deploy status`). */
export const PLAIN_SUBCOMMAND = 'run';

const OPTION_TYPES: Record<ArgType, APIApplicationCommandBasicOption['type']> = {
  string: ApplicationCommandOptionType.String, rest: ApplicationCommandOptionType.String, enum: ApplicationCommandOptionType.String,
  int: ApplicationCommandOptionType.Integer, number: ApplicationCommandOptionType.Number, bool: ApplicationCommandOptionType.Boolean,
  user: ApplicationCommandOptionType.User, channel: ApplicationCommandOptionType.Channel,
};

const TYPE_WORDS: Record<ArgType, string> = {
  string: 'text', rest: 'the rest of the line', enum: 'one of', int: 'a whole number', number: 'a number',
  bool: 'true or false', user: 'a user', channel: 'a channel',
};

/** The slash commands of a command list, and which command each slash path (`deploy`, `deploy status`) stands for. */
export interface SlashCommandPlan {
  bodies: RESTPostAPIChatInputApplicationCommandsJSONBody[];
  routes: Map<string, CommandSpec>;
}

function describeArg(arg: ArgSpec): string {
  const base = arg.description?.trim() || (arg.type === 'enum' ? `one of ${(arg.values ?? []).join(', ')}` : TYPE_WORDS[arg.type]);
  const withDefault = arg.default === undefined ? base : `${base} (default ${String(arg.default)})`;
  return clamp(withDefault, LIMITS.description);
}

function optionOf(arg: ArgSpec, problems: string[], where: string): APIApplicationCommandBasicOption {
  const name = arg.name.toLowerCase();
  if (!NAME.test(name)) problems.push(`${where}: argument "${arg.name}" cannot be a Discord option name (1-32 letters, digits, - or _)`);
  const option = { type: OPTION_TYPES[arg.type], name, description: describeArg(arg), required: arg.required === true } as APIApplicationCommandBasicOption;
  const values = arg.values ?? [];
  // Past 25 values Discord takes no choices; the router still checks the value against the list.
  if (arg.type === 'enum' && values.length > 0 && values.length <= LIMITS.choices && values.every((v) => v.length <= LIMITS.choice)) {
    Object.assign(option, { choices: values.map((v) => ({ name: v, value: v })) });
  }
  return option;
}

/** Options of one command: required ones first, as Discord demands. */
function optionsOf(spec: CommandSpec, problems: string[]): APIApplicationCommandBasicOption[] {
  if (spec.args.length > LIMITS.options) problems.push(`${spec.name}: ${spec.args.length} arguments; a Discord command takes ${LIMITS.options}`);
  const options = spec.args.map((arg) => optionOf(arg, problems, spec.name));
  const names = options.map((o) => o.name);
  const twice = names.filter((n, i) => names.indexOf(n) !== i);
  if (twice.length > 0) problems.push(`${spec.name}: arguments ${[...new Set(twice)].join(', ')} differ only in case, which Discord option names cannot`);
  return [...options.filter((o) => o.required), ...options.filter((o) => !o.required)];
}

function wordsOf(spec: CommandSpec, problems: string[]): string[] {
  const words = spec.name.trim().toLowerCase().split(/\s+/);
  if (words.length > 2) problems.push(`${spec.name}: a slash command has at most two words (a command and a subcommand)`);
  for (const word of words) if (!NAME.test(word)) problems.push(`${spec.name}: "${word}" cannot be a Discord command name (1-32 letters, digits, - or _)`);
  return words.slice(0, 2);
}

function description(spec: CommandSpec): string {
  return clamp(spec.description.trim() || spec.usage || spec.name, LIMITS.description);
}

function bodyOf(name: string, members: Array<{ sub: string | undefined; spec: CommandSpec }>, problems: string[]): RESTPostAPIChatInputApplicationCommandsJSONBody {
  const base = {
    type: ApplicationCommandType.ChatInput as const, name, contexts: [InteractionContextType.Guild, InteractionContextType.BotDM],
    integration_types: [ApplicationIntegrationType.GuildInstall],
  };
  const plain = members.find((m) => m.sub === undefined);
  if (members.length === 1 && plain) return { ...base, description: description(plain.spec), options: optionsOf(plain.spec, problems) };
  if (members.length > LIMITS.subcommands) problems.push(`${name}: ${members.length} subcommands; Discord allows ${LIMITS.subcommands}`);
  const options: APIApplicationCommandOption[] = members.map((m) => ({
    type: ApplicationCommandOptionType.Subcommand, name: m.sub ?? PLAIN_SUBCOMMAND, description: description(m.spec), options: optionsOf(m.spec, problems),
  }));
  return { ...base, description: clamp(plain ? description(plain.spec) : `${name} commands`, LIMITS.description), options };
}

function groupByFirstWord(commands: readonly CommandSpec[], problems: string[]): Map<string, Array<{ sub: string | undefined; spec: CommandSpec }>> {
  const groups = new Map<string, Array<{ sub: string | undefined; spec: CommandSpec }>>();
  for (const spec of commands) {
    const [name, sub] = wordsOf(spec, problems) as [string, string | undefined];
    const group = groups.get(name) ?? [];
    if (group.some((m) => m.sub === sub)) problems.push(`${spec.name}: declared twice`);
    group.push({ sub, spec });
    groups.set(name, group);
  }
  for (const [name, group] of groups) {
    if (group.some((m) => m.sub === undefined) && group.some((m) => m.sub === PLAIN_SUBCOMMAND)) {
      problems.push(`${name}: "${name} ${PLAIN_SUBCOMMAND}" is taken, so "${name}" cannot become its subcommand next to the other "${name} ..." commands`);
    }
  }
  return groups;
}

/** The plan of a command list, or every reason Discord could not take it. */
function tryPlan(commands: readonly CommandSpec[]): { plan: SlashCommandPlan; problems: [] } | { plan: undefined; problems: string[] } {
  const problems: string[] = [];
  const groups = groupByFirstWord(commands, problems);
  if (groups.size > LIMITS.commands) problems.push(`${groups.size} top-level commands; Discord allows ${LIMITS.commands}`);
  const bodies = [...groups].map(([name, members]) => bodyOf(name, members, problems));
  if (problems.length > 0) return { plan: undefined, problems };
  const routes = new Map<string, CommandSpec>();
  for (const [name, members] of groups) {
    const grouped = members.length > 1 || members[0]?.sub !== undefined;
    for (const m of members) routes.set(grouped ? `${name} ${m.sub ?? PLAIN_SUBCOMMAND}` : name, m.spec);
  }
  return { plan: { bodies, routes }, problems: [] };
}

/** Plans slash commands for a command list; throws `E_SLASH_COMMANDS` listing every problem when Discord could not take them. */
export function planSlashCommands(commands: readonly CommandSpec[]): SlashCommandPlan {
  const { plan, problems } = tryPlan(commands);
  if (!plan) throw new OpsroomError('E_SLASH_COMMANDS', `these commands cannot be Discord slash commands: ${problems.join('; ')}`);
  return plan;
}

/** A plan of the commands Discord can take, and the ones it cannot, with why (they still work when typed). */
export interface FittingPlan extends SlashCommandPlan {
  omitted: Array<{ command: string; reason: string }>;
}

/**
 * Plans as many of the commands as Discord can take, in the order given: one plugin with a command Discord cannot
 * list (three words, a 26th subcommand) must not take every other slash command away.
 */
export function planFittingCommands(commands: readonly CommandSpec[]): FittingPlan {
  const whole = tryPlan(commands);
  if (whole.plan) return { ...whole.plan, omitted: [] };
  const accepted: CommandSpec[] = [];
  const omitted: FittingPlan['omitted'] = [];
  for (const spec of commands) {
    const attempt = tryPlan([...accepted, spec]);
    if (attempt.plan) accepted.push(spec);
    else omitted.push({ command: spec.name, reason: attempt.problems.join('; ') });
  }
  return { ...planSlashCommands(accepted), omitted };
}

/** The bodies of `PUT /applications/{id}/commands`: one slash command per command, two-word names as subcommands. */
export function buildSlashCommands(commands: readonly CommandSpec[]): RESTPostAPIChatInputApplicationCommandsJSONBody[] {
  return planSlashCommands(commands).bodies;
}

/** Replaces the application's slash commands (in one guild when given, where changes show at once; else globally). */
export async function registerSlashCommands(
  rest: Pick<REST, 'put'>, appId: string, commands: readonly CommandSpec[], guildId?: string,
): Promise<RESTPutAPIApplicationCommandsResult> {
  return putSlashCommands(rest, appId, buildSlashCommands(commands), guildId);
}

/** The bulk overwrite itself: the bodies become the application's whole list of slash commands in that scope. */
export async function putSlashCommands(
  rest: Pick<REST, 'put'>, appId: string, body: readonly RESTPostAPIChatInputApplicationCommandsJSONBody[], guildId?: string,
): Promise<RESTPutAPIApplicationCommandsResult> {
  const route = guildId === undefined ? Routes.applicationCommands(appId) : Routes.applicationGuildCommands(appId, guildId);
  return await rest.put(route, { body }) as RESTPutAPIApplicationCommandsResult;
}
