import { describe, expect, it } from 'vitest';
import type { ConfigReloader } from '../../../src/automation/config-reloader.js';
import { emptyChanges, type ReloadReport, type ReloadTrigger } from '../../../src/automation/reload-report.js';
import { relayConfigReloads } from '../../../src/cluster/relay-config-reloads.js';
import { createLogger } from '../../../src/core/logger.js';
import { disposable } from '../../../src/core/disposable.js';
import { FakeBus } from '../../fakes/fake-cluster.js';

/** A reloader that records what asked it to reload and tells its listeners with a report of that trigger. */
class RecordingReloader implements ConfigReloader {
  readonly triggers: ReloadTrigger[] = [];
  private readonly listeners = new Set<(report: ReloadReport) => void>();

  async reload(trigger: ReloadTrigger): Promise<ReloadReport> {
    this.triggers.push(trigger);
    return this.emit(trigger, 'applied');
  }

  emit(trigger: ReloadTrigger, outcome: ReloadReport['outcome']): ReloadReport {
    const report: ReloadReport = { ...emptyChanges(), at: new Date().toISOString(), trigger, source: 'opsroom.yaml', outcome, problems: [], restartNeeded: [] };
    for (const listener of this.listeners) listener(report);
    return report;
  }

  lastReport(): ReloadReport | undefined {
    return undefined;
  }

  onDidReload(listener: (report: ReloadReport) => void) {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }
}

describe('configuration reloads in a cluster', () => {
  it('are passed on when made here, and made here (once, not passed on again) when another instance made one', async () => {
    const reloader = new RecordingReloader();
    const bus = new FakeBus();
    relayConfigReloads(reloader, bus, createLogger({ level: 'silent' }));
    reloader.emit('signal', 'applied');
    reloader.emit('file', 'invalid');
    reloader.emit('start', 'applied');
    await new Promise((resolve) => setImmediate(resolve));
    expect(bus.published).toEqual([{ kind: 'config.reload' }]);
    await bus.deliver({ kind: 'config.reload' });
    expect(reloader.triggers).toEqual(['cluster']);
    expect(bus.published).toHaveLength(1);
  });
});
