import type { ConfigReloader } from '../automation/config-reloader.js';
import type { Disposable } from '../core/disposable.js';
import type { Logger } from '../core/logger.js';
import type { ClusterBus } from './cluster-bus.js';

/**
 * A configuration reload on any instance (a file change, SIGHUP, `config reload` in chat) makes every other instance
 * reload its own file; a reload that came from the cluster is not passed on again.
 */
export function relayConfigReloads(reloader: ConfigReloader, bus: ClusterBus, logger: Logger): Disposable[] {
  return [
    reloader.onDidReload((report) => {
      if (report.trigger === 'cluster' || report.trigger === 'start' || report.outcome !== 'applied') return;
      bus.publish({ kind: 'config.reload' }).catch((err: unknown) => {
        logger.warn({ err }, 'could not tell the other opsroom processes about a configuration reload');
      });
    }),
    bus.on('config.reload', async () => {
      await reloader.reload('cluster');
    }),
  ];
}
