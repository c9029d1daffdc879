import { BUDGET_TICK_MS, type CallRequest, type HostToRunner, type LoadRequest, type RunnerToHost, type UnloadRequest } from '../sandbox-protocol.js';
import { LoadRefused, PluginIsolate, type RunnerOutput } from './plugin-isolate.js';

/** Everything a runner process does: loads plugins into isolates, runs calls, enforces limits on a fixed tick. */
export class RunnerService {
  private readonly plugins = new Map<string, PluginIsolate>();
  /** Every PluginIsolate that may need a tick: loaded, loading, or replaced and finishing its last calls. */
  private readonly live = new Set<PluginIsolate>();
  private ticker: NodeJS.Timeout | undefined;
  private readonly output: RunnerOutput;

  constructor(send: (message: RunnerToHost) => void, onCatastrophicError: (plugin: string, message: string) => void) {
    this.output = { send, onCatastrophicError };
  }

  handle(message: HostToRunner): void {
    switch (message.t) {
      case 'load':
        void this.load(message);
        return;
      case 'call':
        this.call(message);
        return;
      case 'capres':
        this.findByCall(message.plugin, message.call)?.capabilityReply(message);
        return;
      case 'unload':
        this.unload(message);
        return;
    }
  }

  private async load(request: LoadRequest): Promise<void> {
    const plugin = new PluginIsolate(request, this.output);
    this.live.add(plugin);
    this.startTicking();
    try {
      const report = await plugin.load();
      const previous = this.plugins.get(request.plugin);
      this.plugins.set(request.plugin, plugin);
      previous?.retire();
      this.output.send({ t: 'loaded', id: request.id, report });
    } catch (error) {
      this.live.delete(plugin);
      const reason = error instanceof LoadRefused ? error.message : `the sandbox could not load it: ${String(error)}`;
      this.output.send({ t: 'loadfailed', id: request.id, reason });
    }
  }

  private call(request: CallRequest): void {
    const plugin = this.plugins.get(request.plugin);
    if (plugin === undefined) {
      this.output.send({ t: 'fail', id: request.id, message: `${request.plugin} is not loaded in its sandbox process` });
      return;
    }
    this.startTicking();
    void plugin.call(request);
  }

  private unload(request: UnloadRequest): void {
    const plugin = this.plugins.get(request.plugin);
    if (plugin !== undefined) {
      this.plugins.delete(request.plugin);
      this.live.delete(plugin);
      plugin.unload();
    }
    this.output.send({ t: 'unloaded', id: request.id });
  }

  private findByCall(name: string, callId: number): PluginIsolate | undefined {
    const current = this.plugins.get(name);
    if (current?.calls.has(callId) === true) return current;
    // A replaced version finishing its last calls.
    for (const plugin of this.live) if (plugin.name === name && plugin.calls.has(callId)) return plugin;
    return undefined;
  }

  private startTicking(): void {
    this.ticker ??= setInterval(() => this.tick(), BUDGET_TICK_MS);
  }

  private tick(): void {
    const now = performance.now();
    let busy = false;
    for (const plugin of this.live) {
      if (plugin.finished) {
        this.live.delete(plugin);
        continue;
      }
      if (!plugin.busy) continue;
      plugin.tick(now);
      busy ||= plugin.busy;
    }
    if (!busy && this.ticker !== undefined) {
      clearInterval(this.ticker);
      this.ticker = undefined;
    }
  }
}
