import { inject, injectable } from 'inversify';
import { RunbookDefinitions } from '../capabilities/runbooks/runbook-runner.js';
import { SecretStore } from '../capabilities/secrets/secret-store.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import type { Disposable } from '../core/disposable.js';
import { Logger } from '../core/logger.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { ConfigCommandRunner } from './config-command-runner.js';
import { CONFIG_COMMANDS_OWNER, secretsOf, type ConfigCommandDefinition, type ConfigCommandsConfig } from './config-command-schema.js';
import { fingerprintOf, prepareCommand, type PreparedCommand } from './prepared-command.js';
import { emptyChanges, type CommandChanges } from './reload-report.js';

interface Running {
  prepared: PreparedCommand;
  registration: Disposable;
}

/** The commands of the `commands` section, registered in the one registry; `apply` makes them match a section. */
export const ConfigCommandSet = Symbol('ConfigCommandSet');
export interface ConfigCommandSet {
  /** Registers, replaces and unregisters so the running commands match `commands`; never throws for one bad command. */
  apply(commands: ConfigCommandsConfig): CommandChanges;
  /** The names running now, sorted. */
  names(): string[];
  /** Unregisters every configuration command. */
  clear(): void;
}

@injectable()
export class ConfigCommandSetImpl implements ConfigCommandSet {
  private readonly running = new Map<string, Running>();

  constructor(
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(ConfigCommandRunner) private readonly runner: ConfigCommandRunner,
    @inject(SecretStore) private readonly secrets: SecretStore,
    @inject(RunbookDefinitions) private readonly runbooks: RunbookDefinitions,
    @inject(OpsroomConfigToken) private readonly config: OpsroomConfig,
    @inject(Logger) private readonly logger: Logger,
  ) {}

  apply(commands: ConfigCommandsConfig): CommandChanges {
    const changes = emptyChanges();
    for (const name of [...this.running.keys()]) {
      if (Object.hasOwn(commands, name)) continue;
      this.running.get(name)?.registration.dispose();
      this.running.delete(name);
      changes.removed.push(name);
    }
    for (const [name, definition] of Object.entries(commands).sort(([a], [b]) => a.localeCompare(b))) {
      this.applyOne(name, definition, changes);
    }
    if (changes.refused.length > 0) this.logger.warn({ refused: changes.refused }, 'configuration commands refused');
    return changes;
  }

  names(): string[] {
    return [...this.running.keys()].sort();
  }

  clear(): void {
    for (const running of this.running.values()) running.registration.dispose();
    this.running.clear();
  }

  private applyOne(name: string, definition: ConfigCommandDefinition, changes: CommandChanges): void {
    const current = this.running.get(name);
    if (current && current.prepared.fingerprint === fingerprintOf(name, definition)) {
      changes.unchanged.push(name);
      return;
    }
    const refuse = (reason: string): void => { changes.refused.push({ command: name, reason, kept: current !== undefined }); };
    const problem = this.runtimeProblem(definition);
    if (problem !== undefined) return refuse(problem);
    let prepared: PreparedCommand;
    try {
      prepared = prepareCommand(name, definition, this.secrets);
    } catch (error) {
      return refuse(messageOf(error));
    }
    current?.registration.dispose();
    try {
      this.running.set(name, { prepared, registration: this.register(prepared) });
    } catch (error) {
      this.running.delete(name);
      if (current) this.running.set(name, { prepared: current.prepared, registration: this.register(current.prepared) });
      return refuse(messageOf(error).replace(`of ${CONFIG_COMMANDS_OWNER} `, ''));
    }
    (current ? changes.changed : changes.added).push(name);
  }

  private register(prepared: PreparedCommand): Disposable {
    return this.registry.register(CONFIG_COMMANDS_OWNER, prepared.spec, (invocation) => this.runner.run(prepared, invocation), {
      fingerprint: () => prepared.fingerprint,
    });
  }

  /** What the running opsroom cannot do for this definition; runbooks and secrets are read only at start. */
  private runtimeProblem(definition: ConfigCommandDefinition): string | undefined {
    const runbook = definition.runbook?.name;
    if (runbook !== undefined) {
      const known = this.runbooks[runbook];
      if (known === undefined) {
        const names = Object.keys(this.runbooks).sort();
        return `runbook ${runbook} is not configured in the running opsroom (runbooks apply at a restart; known: ${names.length > 0 ? names.join(', ') : 'none'})`;
      }
      if (known.risk === 'high' && definition.risk !== 'high') {
        return `runbook ${runbook} is high-risk, so a command running it must say risk: high (it then waits for approval)`;
      }
    }
    const missing = secretsOf(definition.http).filter((secret) => !Object.hasOwn(this.config.secrets, secret));
    if (missing.length > 0) {
      return `secret ${missing.join(', ')} is not configured in the running opsroom (add it under secrets; secrets apply at a restart)`;
    }
    return undefined;
  }
}

function messageOf(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
