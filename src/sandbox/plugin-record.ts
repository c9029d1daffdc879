import { OpsroomError } from '../core/errors.js';
import type { LoadReport, PluginCode, SandboxEntry } from './sandbox-host.js';
import type { RunnerSlot } from './runner-pool.js';

/** A loaded plugin as the host keeps it: the code (to reload after a crash), what loading found, and where it runs. */
export class PluginRecord {
  state: 'ready' | 'restarting' | 'failed' = 'ready';
  failure: string | undefined;
  /** Settles when a restart ends, however it ends; waiters then look the plugin up again. */
  restarted: Promise<void> = Promise.resolve();
  private wake: () => void = () => undefined;
  private commands: ReadonlySet<string>;

  constructor(readonly code: PluginCode, public report: LoadReport, readonly slot: RunnerSlot) {
    this.commands = new Set(report.commands);
  }

  /** Refuses, before anything is sent, an entry the default export does not have. */
  checkEntry(entry: SandboxEntry): void {
    const plugin = this.code.name;
    switch (entry?.kind) {
      case 'command':
        if (typeof entry.name !== 'string' || !this.commands.has(entry.name)) {
          throw new OpsroomError('E_NOT_FOUND', `${plugin} has no command ${String(entry.name)}`);
        }
        return;
      case 'webhook':
        if (!this.report.hasOnWebhook) throw new OpsroomError('E_NOT_FOUND', `${plugin} has no onWebhook handler`);
        return;
      case 'schedule':
        if (!this.report.hasOnSchedule) throw new OpsroomError('E_NOT_FOUND', `${plugin} has no onSchedule handler`);
        return;
      case 'setup':
        if (!this.report.hasSetup) throw new OpsroomError('E_NOT_FOUND', `${plugin} has no setup handler`);
        return;
      default:
        throw new OpsroomError('E_INTERNAL', `unknown sandbox entry ${truncateJson(entry)} for ${plugin}`);
    }
  }

  beginRestart(): void {
    if (this.state === 'restarting') return;
    this.state = 'restarting';
    this.restarted = new Promise((resolve) => (this.wake = resolve));
  }

  ready(report: LoadReport): void {
    this.report = report;
    this.commands = new Set(report.commands);
    this.state = 'ready';
    this.wake();
  }

  fail(reason: string): void {
    this.state = 'failed';
    this.failure = reason;
    this.wake();
  }

  /** Wakes waiters without a new state: the record was replaced, unloaded, or the host is shutting down. */
  finishRestart(): void {
    this.wake();
  }
}

function truncateJson(value: unknown): string {
  try {
    return (JSON.stringify(value) ?? String(value)).slice(0, 100);
  } catch {
    return 'that cannot be printed';
  }
}
