import { stat } from 'node:fs/promises';
import { inject, injectable } from 'inversify';
import { z } from 'zod';
import { formatIssues } from '../../config/format-issues.js';
import { ConfigError, OpsroomError } from '../../core/errors.js';
import { Logger } from '../../core/logger.js';
import { bindRunbookArgv } from './bind-runbook-argv.js';
import { runProcess, type ProcessOutcome } from './run-process.js';
import { runbooksSchema, type RunbookDefinition, type RunbookDefinitionsConfig } from './runbook-schema.js';

/** What a runbook run produced; output is capped at the runbook's maxOutputKb per stream. */
export type RunbookResult = ProcessOutcome;

/** The configuration's `runbooks` section, bound by the composition root (`toConstantValue(config.runbooks)`). */
export const RunbookDefinitions = Symbol('RunbookDefinitions');
export type RunbookDefinitions = RunbookDefinitionsConfig;

/** Runs operator-defined host actions (`ctx.runbook`) without a shell, with validated parameters. */
export const RunbookRunner = Symbol('RunbookRunner');
export interface RunbookRunner {
  /** Runs the runbook to completion or timeout; E_NOT_FOUND for an unknown name, E_BAD_ARGS for bad parameters. */
  run(name: string, params: Record<string, unknown>): Promise<RunbookResult>;
}

const FALLBACK_PATH = '/usr/local/bin:/usr/bin:/bin';
const KILL_GRACE_MS = 2_000;
const DRAIN_MS = 250;

/** Re-validates definitions built in code (tests, tools) exactly as a configuration file is validated. */
function checkedDefinitions(definitions: unknown): RunbookDefinitions {
  const parsed = z.object({ runbooks: runbooksSchema }).strict().safeParse({ runbooks: definitions });
  if (parsed.success) return parsed.data.runbooks;
  const problems = formatIssues(parsed.error.issues);
  throw new ConfigError(`runbooks have ${problems.length} problem${problems.length > 1 ? 's' : ''}`, problems);
}

@injectable()
export class RunbookRunnerImpl implements RunbookRunner {
  private readonly definitions: RunbookDefinitions;
  private readonly logger: Logger;

  constructor(@inject(RunbookDefinitions) definitions: RunbookDefinitions, @inject(Logger) logger: Logger) {
    this.definitions = checkedDefinitions(definitions);
    this.logger = logger.child({ component: 'runbooks' });
  }

  async run(name: string, params: Record<string, unknown>): Promise<RunbookResult> {
    const definition = this.definitionOf(name);
    const argv = bindRunbookArgv(name, definition, params) as [string, ...string[]];
    await this.checkCwd(name, definition.cwd);
    const log = this.logger.child({ runbook: name });
    log.info({ program: argv[0] }, 'runbook started');
    let outcome: ProcessOutcome;
    try {
      outcome = await runProcess(argv, {
        cwd: definition.cwd, env: this.environmentFor(definition), timeoutMs: definition.timeoutMs,
        maxOutputBytes: definition.maxOutputKb * 1024, killGraceMs: KILL_GRACE_MS, drainMs: DRAIN_MS,
      });
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code ?? 'unknown error';
      throw new OpsroomError('E_CONFIG', `runbook ${name}: cannot start ${argv[0]} (${code}); check runbooks.${name}.argv[0] in the configuration`, { cause: error });
    }
    const { exitCode, signal, timedOut, truncated, durationMs } = outcome;
    if (timedOut) log.warn({ timeoutMs: definition.timeoutMs, durationMs }, 'runbook timed out and was stopped');
    log.info({ exitCode, signal, timedOut, truncated, durationMs }, 'runbook finished');
    return outcome;
  }

  private definitionOf(name: string): RunbookDefinition {
    const definition = typeof name === 'string' && Object.hasOwn(this.definitions, name) ? this.definitions[name] : undefined;
    if (definition !== undefined) return definition;
    const known = Object.keys(this.definitions).sort();
    const shown = typeof name === 'string' ? `"${name}"` : `named by a ${typeof name}`;
    throw new OpsroomError('E_NOT_FOUND', `there is no runbook ${shown} (${known.length > 0 ? `known runbooks: ${known.join(', ')}` : 'no runbooks are configured'})`);
  }

  /** PATH and the allow-listed names only: opsroom's own secrets stay out of the child. */
  private environmentFor(definition: RunbookDefinition): Record<string, string> {
    const env: Record<string, string> = { PATH: process.env.PATH ?? FALLBACK_PATH };
    for (const variable of definition.env) {
      const value = process.env[variable];
      if (value !== undefined) env[variable] = value;
    }
    return env;
  }

  /** spawn reports a missing cwd as the program missing (ENOENT), so it is checked first. */
  private async checkCwd(name: string, cwd: string | undefined): Promise<void> {
    if (cwd === undefined) return;
    const found = await stat(cwd).catch(() => undefined);
    if (found?.isDirectory() !== true) {
      throw new OpsroomError('E_CONFIG', `runbook ${name}: the working folder ${cwd} does not exist or is not a folder; check runbooks.${name}.cwd in the configuration`);
    }
  }
}
