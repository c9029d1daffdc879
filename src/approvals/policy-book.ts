import type { CommandSpec, Risk } from '../core/command.js';
import { ConfigError } from '../core/errors.js';
import { parseQualified, PLATFORMS, type Platform } from '../core/identity.js';
import { argMatches, type ApprovalPolicy, type ArgCondition, type PolicyTarget } from './approval-policy.js';
import type { ApprovalsConfig, PolicyConfig } from './approvals-config-schema.js';
import { RiskOverrides } from './risk-overrides.js';

/** The `channels` section: alias -> platform -> channel id. */
export type ChannelAliases = Record<string, Partial<Record<Platform, string>>>;

interface CompiledPolicy {
  index: number;
  command: string;
  args: Array<[name: string, condition: ArgCondition]>;
  /** Qualified channel ids; undefined means every channel. */
  channels: Set<string> | undefined;
  policy: ApprovalPolicy;
}

const CHANNEL_KIND: Record<Platform, 'channel' | 'conversation'> = { discord: 'channel', teams: 'conversation', local: 'channel' };

/** An alias value as a qualified id: the configuration may give `local:channel:ops` or just `ops`. */
function qualifiedChannel(platform: Platform, value: string): string {
  return parseQualified(value) ? value : `${platform}:${CHANNEL_KIND[platform]}:${value}`;
}

function resolveChannels(refs: string[] | undefined, aliases: ChannelAliases, where: string, problems: string[]): Set<string> | undefined {
  if (refs === undefined) return undefined;
  const ids = new Set<string>();
  refs.forEach((ref, i) => {
    if (parseQualified(ref)) {
      ids.add(ref);
      return;
    }
    const targets = aliases[ref];
    if (!targets || Object.keys(targets).length === 0) {
      problems.push(`${where}.channels[${i}]: there is no channel alias "${ref}" (expected a qualified channel id such as discord:channel:456, or an alias of the channels section: ${Object.keys(aliases).join(', ') || 'none defined'})`);
      return;
    }
    for (const platform of PLATFORMS) {
      const value = targets[platform];
      if (value !== undefined) ids.add(qualifiedChannel(platform, value));
    }
  });
  return ids;
}

/**
 * Which approval policy applies to an invocation: the first configured policy matching its command, argument values
 * and channel; else, when its effective risk is high, the default high-risk policy; else none.
 */
export class PolicyBook {
  private readonly policies: CompiledPolicy[];
  private readonly risk: RiskOverrides;
  private readonly defaultHighRisk: ApprovalPolicy;

  /** Throws ConfigError naming every policy channel that is neither a qualified id nor a known alias. */
  constructor(config: ApprovalsConfig, aliases: ChannelAliases = {}) {
    const problems: string[] = [];
    this.policies = config.policies.map((p, index) => this.compile(p, index, config.expiryMinutes, aliases, problems));
    if (problems.length > 0) throw new ConfigError(`the approvals section has ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems);
    this.risk = new RiskOverrides(config.risk);
    const d = config.defaultHighRisk;
    this.defaultHighRisk = {
      source: 'approvals.defaultHighRisk', approvals: d.approvals, approverRoles: d.approverRoles, allowSelfApproval: d.allowSelfApproval,
      ...(d.requesterRoles ? { requesterRoles: d.requesterRoles } : {}), expiryMinutes: d.expiryMinutes ?? config.expiryMinutes,
    };
  }

  effectiveRisk(target: PolicyTarget, spec: CommandSpec): Risk {
    return this.risk.effectiveRisk(target, spec);
  }

  /** The policy that holds this invocation for approval, or undefined when it may run at once. */
  policyFor(target: PolicyTarget, spec: CommandSpec): ApprovalPolicy | undefined {
    const name = spec.name.toLowerCase();
    const declared = new Set(spec.args.map((a) => a.name));
    for (const compiled of this.policies) {
      if (compiled.command !== name) continue;
      if (compiled.channels && !compiled.channels.has(target.channelId)) continue;
      // An argument the command does not declare cannot be checked; the policy applies rather than silently not.
      if (compiled.args.every(([arg, condition]) => !declared.has(arg) || argMatches(target.args[arg], condition))) return compiled.policy;
    }
    return this.effectiveRisk(target, spec) === 'high' ? this.defaultHighRisk : undefined;
  }

  /** Conditions naming arguments the command does not declare, for a warning when the command registers. */
  unknownArguments(spec: CommandSpec): string[] {
    const name = spec.name.toLowerCase();
    const declared = new Set(spec.args.map((a) => a.name));
    const fromPolicies = this.policies
      .filter((p) => p.command === name)
      .flatMap((p) => p.args.filter(([arg]) => !declared.has(arg)).map(([arg]) => `approvals.policies[${p.index}].args: ${arg}`));
    return [...fromPolicies, ...this.risk.unknownArguments(spec)];
  }

  /** Every role a policy names, to warn about roles nobody defined. */
  roles(): string[] {
    const all = [this.defaultHighRisk, ...this.policies.map((p) => p.policy)].flatMap((p) => [...p.approverRoles, ...(p.requesterRoles ?? [])]);
    return [...new Set(all)].sort();
  }

  private compile(p: PolicyConfig, index: number, expiry: number, aliases: ChannelAliases, problems: string[]): CompiledPolicy {
    const where = `approvals.policies[${index}]`;
    return {
      index,
      command: p.command.toLowerCase(),
      args: Object.entries(p.args ?? {}),
      channels: resolveChannels(p.channels, aliases, where, problems),
      policy: {
        source: where, approvals: p.approvals, approverRoles: p.approverRoles, allowSelfApproval: p.allowSelfApproval,
        ...(p.requesterRoles ? { requesterRoles: p.requesterRoles } : {}), expiryMinutes: p.expiryMinutes ?? expiry,
      },
    };
  }
}
