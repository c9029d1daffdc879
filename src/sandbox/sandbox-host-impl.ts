import { inject, injectable } from 'inversify';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { CallRegistry, type PendingCall } from './call-registry.js';
import { CapabilityRelay } from './capability-relay.js';
import { encodeCall } from './call-encoding.js';
import { parsePlainJson } from './plain-json.js';
import { checkPluginCode } from './plugin-code-check.js';
import { PluginRecord } from './plugin-record.js';
import { RunnerPool, type RunnerSlot } from './runner-pool.js';
import { RunnerExitedError, type RunnerProcess } from './runner-process.js';
import type { CallContext, CapabilityHandler, LoadReport, PluginCode, SandboxEntry, SandboxHost } from './sandbox-host.js';
import { crashedMessage, stoppedMessage, truncate, unloadedMessage } from './sandbox-messages.js';
import { checkSandboxOptions, SandboxOptions } from './sandbox-options.js';
import { HOST_WALL_GRACE_MS, type RunnerToHost } from './sandbox-protocol.js';

const LOG_LEVELS = new Set(['info', 'warn', 'error']);

function shuttingDown(): OpsroomError {
  return new OpsroomError('E_SHUTTING_DOWN', 'opsroom is shutting down; the sandbox takes no new work');
}

/** The sandbox host: plugins in isolates inside supervised runner processes, capabilities answered here. */
@injectable()
export class SandboxHostImpl implements SandboxHost {
  private readonly logger: Logger;
  private readonly pool: RunnerPool;
  private readonly calls = new CallRegistry();
  private readonly relay: CapabilityRelay;
  private readonly plugins = new Map<string, PluginRecord>();
  /** Loads and reloads of one plugin run one after another. */
  private readonly queues = new Map<string, Promise<unknown>>();
  /** Per slot, the plugin being reloaded into a new runner: if that runner dies too, the plugin is the suspect. */
  private readonly reloading = new Map<number, string>();
  private disposing: Promise<void> | undefined;

  constructor(@inject(SandboxOptions) private readonly options: SandboxOptions, @inject(Logger) logger: Logger) {
    checkSandboxOptions(options);
    this.logger = logger.child({ component: 'sandbox' });
    this.relay = new CapabilityRelay(this.logger);
    this.pool = new RunnerPool({ runners: options.runners, heapCapMb: options.heapCapMb }, this.logger, {
      onMessage: (slot, message) => this.receive(slot, message),
      onRunnerLost: (slot) => this.runnerLost(slot),
      onRunnerReplaced: (slot, runner) => this.reloadSlot(slot, runner),
    });
  }

  async load(code: PluginCode): Promise<LoadReport> {
    this.assertOpen();
    const checked = checkPluginCode(code, this.options.defaultLimits);
    return this.serialize(checked.name, () => this.loadNow(checked));
  }

  async call(plugin: string, entry: SandboxEntry, context: CallContext, payload: unknown, capabilities: CapabilityHandler): Promise<unknown> {
    this.assertOpen();
    let record = this.record(plugin);
    record.checkEntry(entry);
    if (typeof capabilities !== 'function') throw new OpsroomError('E_INTERNAL', `a call to ${plugin} needs a capability handler`);
    const encoded = encodeCall(plugin, entry, context, payload);
    while (record.state === 'restarting') {
      await this.waitForRestart(record);
      this.assertOpen();
      record = this.record(plugin);
    }
    if (record.state === 'failed') {
      throw new OpsroomError('E_PLUGIN_FAILED', `${plugin} could not be restarted after its sandbox process exited: ${record.failure}`);
    }
    const { slot } = record;
    const id = this.calls.nextId();
    const limits = record.code.limits;
    const result = this.calls.open({ id, plugin, slot, handler: capabilities, limits }, limits.wallMs + HOST_WALL_GRACE_MS, (call) => this.overdue(call));
    if (slot.runner?.send({ t: 'call', id, plugin, ...encoded }) !== true) {
      this.calls.reject(id, new OpsroomError('E_PLUGIN_FAILED', crashedMessage(plugin)));
    }
    return result;
  }

  async unload(plugin: string): Promise<void> {
    this.assertOpen();
    await this.serialize(plugin, async () => {
      const record = this.plugins.get(plugin);
      if (record === undefined) return;
      this.plugins.delete(plugin);
      record.finishRestart();
      this.pool.release(plugin);
      this.calls.rejectWhere((call) => call.plugin === plugin, () => new OpsroomError('E_PLUGIN_FAILED', unloadedMessage(plugin)));
      const runner = record.slot.runner;
      // A runner that dies meanwhile takes the isolate with it, which is what unloading wanted.
      if (runner?.alive === true) await runner.request({ t: 'unload', id: this.calls.nextId(), plugin }).catch(() => undefined);
    });
  }

  stats(): { runners: Array<{ pid: number; plugins: string[]; restarts: number }> } {
    return this.pool.stats();
  }

  dispose(): Promise<void> {
    this.disposing ??= this.shutdown();
    return this.disposing;
  }

  private async shutdown(): Promise<void> {
    this.calls.rejectWhere(() => true, (call) => new OpsroomError('E_SHUTTING_DOWN', `opsroom is shutting down; the call to ${call.plugin} was stopped`));
    for (const record of this.plugins.values()) record.finishRestart();
    await this.pool.dispose();
  }

  private assertOpen(): void {
    if (this.disposing !== undefined) throw shuttingDown();
  }

  private record(plugin: string): PluginRecord {
    const record = this.plugins.get(plugin);
    if (record === undefined) throw new OpsroomError('E_NOT_FOUND', `plugin ${plugin} is not loaded`);
    return record;
  }

  /** A restart normally takes well under a second; a call waits for it no longer than its own wall limit. */
  private async waitForRestart(record: PluginRecord): Promise<void> {
    let timer: NodeJS.Timeout | undefined;
    const timedOut = new Promise<'timeout'>((resolve) => (timer = setTimeout(() => resolve('timeout'), record.code.limits.wallMs)));
    const outcome = await Promise.race([record.restarted, timedOut]);
    clearTimeout(timer);
    if (outcome === 'timeout') {
      throw new OpsroomError('E_PLUGIN_FAILED', `${record.code.name} is still restarting after its sandbox process exited; try again`);
    }
  }

  private serialize<T>(plugin: string, task: () => Promise<T>): Promise<T> {
    const previous = this.queues.get(plugin) ?? Promise.resolve();
    const next = previous.then(task, task);
    const settled = next.catch(() => undefined);
    this.queues.set(plugin, settled);
    void settled.then(() => {
      if (this.queues.get(plugin) === settled) this.queues.delete(plugin);
    });
    return next;
  }

  private async loadNow(code: PluginCode): Promise<LoadReport> {
    this.assertOpen();
    try {
      await this.pool.start();
    } catch (error) {
      throw new OpsroomError('E_PLUGIN_LOAD', `${code.name}: the sandbox could not start: ${error instanceof Error ? error.message : String(error)}`);
    }
    const existing = this.plugins.get(code.name);
    const slot = existing?.slot ?? this.pool.assign(code.name);
    try {
      const runner = await this.pool.runnerFor(slot);
      const reply = await runner.request({ t: 'load', id: this.calls.nextId(), plugin: code.name, version: code.version, source: code.source, limits: code.limits });
      if (reply.t !== 'loaded') throw new OpsroomError('E_PLUGIN_LOAD', `${code.name}: ${reply.t === 'loadfailed' ? reply.reason : 'the sandbox sent no report'}`);
      this.assertOpen();
      this.plugins.set(code.name, new PluginRecord(code, reply.report, slot));
      existing?.finishRestart();
      return reply.report;
    } catch (error) {
      if (!this.plugins.has(code.name)) this.pool.release(code.name);
      throw this.loadError(code.name, error);
    }
  }

  private loadError(plugin: string, error: unknown): OpsroomError {
    if (this.disposing !== undefined) return shuttingDown();
    if (error instanceof OpsroomError && (error.code === 'E_PLUGIN_LOAD' || error.code === 'E_SHUTTING_DOWN')) return error;
    if (error instanceof RunnerExitedError) {
      return new OpsroomError('E_PLUGIN_LOAD', `${plugin}: its sandbox process exited while loading it (its top-level code may have exhausted the process)`);
    }
    return new OpsroomError('E_PLUGIN_LOAD', `${plugin}: the sandbox could not load it: ${error instanceof Error ? error.message : String(error)}`, { cause: error });
  }

  private receive(slot: RunnerSlot, message: RunnerToHost): void {
    switch (message.t) {
      case 'result':
        this.calls.resolve(message.id, () => (message.value === undefined ? undefined : parsePlainJson(message.value)));
        return;
      case 'fail':
        this.calls.reject(message.id, new OpsroomError('E_PLUGIN_FAILED', truncate(String(message.message), 3000)));
        return;
      case 'cap': {
        const call = this.calls.get(message.call);
        if (call === undefined || call.slot !== slot) return;
        this.relay.request(call, message, (answer) => {
          if (this.calls.get(message.call) === call) slot.runner?.send(answer);
        });
        return;
      }
      case 'note': {
        const call = this.calls.get(message.call);
        if (call !== undefined && call.slot === slot) this.relay.note(call, message);
        return;
      }
      case 'log':
        if (LOG_LEVELS.has(message.level)) this.logger[message.level]({ runner: slot.index, ...message.fields }, String(message.msg));
        return;
      case 'fatal':
        this.logger.error({ runner: slot.index }, String(message.message));
        return;
      default:
        this.logger.warn({ runner: slot.index, type: (message as { t?: unknown }).t }, 'unexpected message from a sandbox runner');
    }
  }

  /** The runner should have ended the call at its wall limit; it has not answered, so it is wedged and is replaced. */
  private overdue(call: PendingCall): void {
    this.calls.reject(call.id, new OpsroomError('E_PLUGIN_FAILED', stoppedMessage(call.plugin, 'wall', call.limits)));
    this.logger.error({ runner: call.slot.index, pid: call.slot.runner?.pid, plugin: call.plugin }, 'sandbox runner did not end a call at its wall limit');
    this.pool.replaceUnresponsive(call.slot);
  }

  private runnerLost(slot: RunnerSlot): void {
    this.calls.rejectWhere((call) => call.slot === slot, (call) => new OpsroomError('E_PLUGIN_FAILED', crashedMessage(call.plugin)));
    const suspect = this.reloading.get(slot.index);
    this.reloading.delete(slot.index);
    for (const name of slot.plugins) {
      const record = this.plugins.get(name);
      if (record === undefined) continue;
      if (name === suspect) {
        // Reloading it killed the fresh runner: reloading it again would kill the next one too.
        record.fail('its sandbox process exited while it was being reloaded');
        this.logger.error({ plugin: name, runner: slot.index }, 'plugin killed its sandbox runner while being reloaded; it stays stopped until loaded again');
      } else {
        record.beginRestart();
      }
    }
  }

  private async reloadSlot(slot: RunnerSlot, runner: RunnerProcess): Promise<void> {
    for (const name of [...slot.plugins]) {
      if (slot.runner !== runner || this.disposing !== undefined) return;
      await this.serialize(name, () => this.reload(slot, runner, name));
    }
  }

  private async reload(slot: RunnerSlot, runner: RunnerProcess, name: string): Promise<void> {
    const record = this.plugins.get(name);
    if (record === undefined || record.state !== 'restarting' || slot.runner !== runner) return;
    this.reloading.set(slot.index, name);
    try {
      const { code } = record;
      const reply = await runner.request({ t: 'load', id: this.calls.nextId(), plugin: name, version: code.version, source: code.source, limits: code.limits });
      if (reply.t === 'loaded') record.ready(reply.report);
      else record.fail(reply.t === 'loadfailed' ? reply.reason : 'the sandbox sent no report');
    } catch (error) {
      // The runner died during the reload: runnerLost has already dealt with this plugin.
      if (!(error instanceof RunnerExitedError)) record.fail(error instanceof Error ? error.message : String(error));
    } finally {
      if (this.reloading.get(slot.index) === name) this.reloading.delete(slot.index);
    }
  }
}
