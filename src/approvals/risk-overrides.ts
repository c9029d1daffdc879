import type { CommandSpec, Risk } from '../core/command.js';
import { argMatches, type PolicyTarget } from './approval-policy.js';

const RANK: Record<Risk, number> = { low: 0, medium: 1, high: 2 };

interface RiskOverride {
  key: string;
  command: string;
  conditions: Array<[name: string, value: string]>;
  risk: Risk;
}

/** `deploy status env=prod` as the command `deploy status` and the condition env=prod. */
export function parseRiskKey(key: string, risk: Risk): RiskOverride {
  const words = key.trim().split(/\s+/);
  const firstCondition = words.findIndex((w) => w.includes('='));
  const commandWords = firstCondition < 0 ? words : words.slice(0, firstCondition);
  const conditions = (firstCondition < 0 ? [] : words.slice(firstCondition)).map((w): [string, string] => {
    const at = w.indexOf('=');
    return [w.slice(0, at), w.slice(at + 1)];
  });
  return { key, command: commandWords.join(' ').toLowerCase(), conditions, risk };
}

/**
 * Per-command and per-argument risk set by the operator. The most specific matching override wins (more conditions),
 * ties go to the higher risk. A condition on an argument the command does not have can raise risk but never lower it:
 * a misspelt argument name must not switch an approval off.
 */
export class RiskOverrides {
  private readonly byCommand = new Map<string, RiskOverride[]>();

  constructor(risk: Record<string, Risk>) {
    for (const [key, value] of Object.entries(risk)) {
      const override = parseRiskKey(key, value);
      this.byCommand.set(override.command, [...(this.byCommand.get(override.command) ?? []), override]);
    }
  }

  effectiveRisk(target: PolicyTarget, spec: CommandSpec): Risk {
    let best: RiskOverride | undefined;
    for (const override of this.byCommand.get(spec.name.toLowerCase()) ?? []) {
      if (!this.applies(override, target, spec)) continue;
      if (!best || override.conditions.length > best.conditions.length
        || (override.conditions.length === best.conditions.length && RANK[override.risk] > RANK[best.risk])) best = override;
    }
    return best?.risk ?? spec.risk;
  }

  /** Overrides naming arguments that the command does not declare, as `key: argument` lines for a warning. */
  unknownArguments(spec: CommandSpec): string[] {
    const declared = new Set(spec.args.map((a) => a.name));
    return (this.byCommand.get(spec.name.toLowerCase()) ?? [])
      .flatMap((o) => o.conditions.filter(([name]) => !declared.has(name)).map(([name]) => `approvals.risk."${o.key}": ${name}`));
  }

  private applies(override: RiskOverride, target: PolicyTarget, spec: CommandSpec): boolean {
    const declared = new Set(spec.args.map((a) => a.name));
    for (const [name, value] of override.conditions) {
      if (!declared.has(name)) {
        if (RANK[override.risk] <= RANK[spec.risk]) return false;
        continue;
      }
      if (!argMatches(target.args[name], value)) return false;
    }
    return true;
  }
}
