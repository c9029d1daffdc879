import { isDeepStrictEqual } from 'node:util';
import { OpsroomError } from '../../core/errors.js';
import type { RunbookResult, RunbookRunner } from '../../capabilities/runbooks/runbook-runner.js';
import type { RunbookExchange } from './conversation-schema.js';

/** `ctx.runbook` for the plugin harness: each call must be the next one the script expects, with its parameters. */
export class ScriptedRunbooks implements RunbookRunner {
  readonly problems: string[] = [];
  private next = 0;

  constructor(private readonly script: RunbookExchange[]) {}

  remaining(): RunbookExchange[] {
    return this.script.slice(this.next);
  }

  async run(name: string, params: Record<string, unknown>): Promise<RunbookResult> {
    const expected = this.script[this.next];
    if (!expected) {
      this.problems.push(`unexpected runbook ${name} ${JSON.stringify(params)} (the script expects no more runbooks)`);
      throw new OpsroomError('E_NOT_FOUND', `no scripted result for runbook ${name}`);
    }
    this.next++;
    if (expected.name !== name) this.problems.push(`runbook ${this.next}: ${name}, expected ${expected.name}`);
    if (!isDeepStrictEqual(params, expected.params)) this.problems.push(`runbook ${this.next} (${name}): params ${JSON.stringify(params)}, expected ${JSON.stringify(expected.params)}`);
    const { result } = expected;
    return { exitCode: result.exitCode, signal: null, stdout: result.stdout, stderr: result.stderr, truncated: result.truncated, timedOut: result.timedOut, durationMs: 0 };
  }
}
