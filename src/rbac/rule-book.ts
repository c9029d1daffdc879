import type { ChannelRef } from '../core/chat-event.js';
import type { ArgValue, CommandSpec, ParsedArgs } from '../core/command.js';
import { allow, deny, type Decision } from '../core/decision.js';
import { ConfigError } from '../core/errors.js';
import { parseQualified, type Platform } from '../core/identity.js';
import type { ChannelAliases, RbacRule } from './rbac-settings.js';

interface CompiledRule {
  /** `deploy with env=prod`, for reasons. */
  label: string;
  args: ReadonlyArray<readonly [name: string, values: readonly string[]]>;
  permission: string | undefined;
  channels: ReadonlySet<string> | undefined;
  /** `#ops, discord:channel:123`, for reasons. */
  channelText: string;
}

/** What a rule needs to know about the caller. */
export interface RuleCaller {
  has(permission: string): boolean;
  /** `none of your roles (viewer) grants it`, for reasons. */
  why(): string;
}

/** The `rbac.rules` of the configuration, compiled by command name: extra permissions and channels by argument. */
export class RuleBook {
  private readonly byCommand = new Map<string, CompiledRule[]>();

  constructor(rules: readonly RbacRule[], aliases: ChannelAliases) {
    const unknown: string[] = [];
    rules.forEach((rule, index) => {
      const compiled = compile(rule, aliases, (alias) => unknown.push(`rbac.rules[${index}].channels: unknown channel alias "${alias}"`));
      const command = rule.command.toLowerCase();
      this.byCommand.set(command, [...(this.byCommand.get(command) ?? []), compiled]);
    });
    if (unknown.length > 0) throw new ConfigError('rbac.rules name channel aliases that the channels section does not define', unknown);
  }

  /** The first rule that refuses the call, in configuration order; allowed when none does. */
  /** Whether any rule names the command: most commands have none, and their decision needs no rule check. */
  governs(command: string): boolean {
    return this.byCommand.size > 0 && this.byCommand.has(command.toLowerCase());
  }

  check(spec: CommandSpec, args: ParsedArgs, channel: ChannelRef, caller: RuleCaller): Decision {
    for (const rule of this.byCommand.get(spec.name.toLowerCase()) ?? []) {
      const unknownArg = rule.args.find(([name]) => !spec.args.some((a) => a.name === name));
      if (unknownArg) {
        // Fail closed: a misspelt argument would otherwise make the rule silently never apply.
        return deny(`an rbac rule for ${spec.name} names the argument ${unknownArg[0]}, which ${spec.name} does not have; an operator must fix rbac.rules`);
      }
      if (!rule.args.every(([name, values]) => matches(args[name], values))) continue;
      if (rule.channels && !rule.channels.has(channel.id)) {
        return deny(`${rule.label} may only run in ${rule.channelText}; this is ${channel.name ? `#${channel.name}` : channel.id}`);
      }
      if (rule.permission !== undefined && !caller.has(rule.permission)) {
        return deny(`${rule.label} needs the permission ${rule.permission} and ${caller.why()}; ask an admin for a role`);
      }
    }
    return allow;
  }
}

function compile(rule: RbacRule, aliases: ChannelAliases, unknownAlias: (alias: string) => void): CompiledRule {
  const args = Object.entries(rule.args ?? {}).map(([name, value]) =>
    [name, (Array.isArray(value) ? value : [value]).map((v) => String(v).toLowerCase())] as const);
  const condition = args.map(([name, values]) => `${name}=${values.join('|')}`).join(', ');
  const channels = rule.channels?.flatMap((entry) => resolveChannel(entry, aliases, unknownAlias));
  return {
    label: condition ? `${rule.command} with ${condition}` : rule.command,
    args,
    permission: rule.permission,
    channels: channels ? new Set(channels) : undefined,
    channelText: (rule.channels ?? []).map((entry) => (parseQualified(entry) ? entry : `#${entry}`)).join(', '),
  };
}

/** A qualified channel id as it is, or every real channel of an alias. */
function resolveChannel(entry: string, aliases: ChannelAliases, unknownAlias: (alias: string) => void): string[] {
  if (parseQualified(entry)) return [entry];
  const targets = aliases[entry];
  if (targets === undefined) {
    unknownAlias(entry);
    return [];
  }
  return Object.entries(targets).map(([platform, id]) => qualifyChannel(platform as Platform, id as string));
}

/** Alias targets are qualified ids; a bare platform id is qualified the way that platform's adapter names channels. */
function qualifyChannel(platform: Platform, id: string): string {
  if (parseQualified(id)) return id;
  return `${platform}:${platform === 'teams' ? 'conversation' : 'channel'}:${id}`;
}

function matches(actual: ArgValue | undefined, expected: readonly string[]): boolean {
  return actual !== undefined && expected.includes(String(actual).toLowerCase());
}
