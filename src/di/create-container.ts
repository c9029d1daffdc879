import { Container, type ContainerModule } from 'inversify';
import { approvalsModule } from '../approvals/approvals-module.js';
import { capabilitiesModule } from '../capabilities/capabilities-module.js';
import { netModule } from '../capabilities/net/net-module.js';
import { NetOptions } from '../capabilities/net/net-policy.js';
import { RunbookDefinitions } from '../capabilities/runbooks/runbook-runner.js';
import { secretsModule } from '../capabilities/secrets/secrets-module.js';
import { pluginsModule } from '../plugins/plugins-module.js';
import { pluginInstallModule } from '../plugins/install/install-module.js';
import { webhookModule } from '../capabilities/webhook/webhook-module.js';
import { sandboxModule } from '../sandbox/sandbox-module.js';
import { SandboxOptions } from '../sandbox/sandbox-options.js';
import { auditModule } from '../audit/audit-module.js';
import { automationModule } from '../automation/automation-module.js';
import { ConfigSource, NO_CONFIG_SOURCE } from '../automation/config-source.js';
import { historyModule } from '../history/history-module.js';
import { knowledgeModule } from '../knowledge/knowledge-module.js';
import { reportsModule } from '../reports/reports-module.js';
import { builtinsModule } from '../builtins/builtins-module.js';
import { clusterModule } from '../cluster/cluster-module.js';
import { ClusterSettings, holdsConnections } from '../cluster/cluster-settings.js';
import { Clock, SystemClock } from '../core/clock.js';
import { Logger } from '../core/logger.js';
import { Metrics, MetricsImpl } from '../core/metrics.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import { HttpSettings } from '../http/http-server.js';
import { httpModule } from '../http/http-module.js';
import { consoleModule } from '../http/console/console-module.js';
import { ConsoleSettings, consoleSettingsOf } from '../http/console/console-settings.js';
import { rbacModule } from '../rbac/rbac-module.js';
import { RbacSettings, rbacSettingsOf } from '../rbac/rbac-settings.js';
import { routingModule } from '../routing/routing-module.js';
import { RouterSettings } from '../routing/router.js';
import { Database } from '../storage/database.js';
import { storageModule } from '../storage/storage-module.js';

export interface ContainerParts {
  config: OpsroomConfig;
  logger: Logger;
  database: Database;
  clock?: Clock;
  metrics?: Metrics;
  /** Modules that replace or add bindings after the standard ones (a test swaps an edge here). */
  extraModules?: ContainerModule[];
  /** How this process takes part in a cluster (REDIS_URL set); absent for a process on its own. */
  cluster?: ClusterSettings;
  /** The configuration file and whether to watch it and take SIGHUP; nothing to reload when absent. */
  configSource?: ConfigSource;
}

/** The feature modules, in dependency order. The composition root decides which load; features never do. */
export function featureModules(): ContainerModule[] {
  return [
    storageModule, auditModule, rbacModule, approvalsModule, routingModule, builtinsModule, httpModule, consoleModule,
    netModule, secretsModule, capabilitiesModule, sandboxModule, pluginsModule, pluginInstallModule, webhookModule,
    automationModule, historyModule, reportsModule, knowledgeModule,
  ];
}

export function createContainer(parts: ContainerParts): Container {
  const container = new Container();
  const { config } = parts;
  container.bind(OpsroomConfigToken).toConstantValue(config);
  container.bind(Logger).toConstantValue(parts.logger);
  container.bind(Database).toConstantValue(parts.database);
  container.bind(Clock).toConstantValue(parts.clock ?? new SystemClock());
  container.bind(Metrics).toConstantValue(parts.metrics ?? new MetricsImpl({ defaultMetrics: true }));
  const origin = parts.cluster && holdsConnections(parts.cluster) ? { origin: parts.cluster.nodeId } : {};
  container.bind(RouterSettings).toConstantValue({ prefix: config.bot.prefix, ...origin });
  container.bind(RbacSettings).toConstantValue(rbacSettingsOf(config));
  container.bind(HttpSettings).toConstantValue({ host: config.http.host, port: config.http.port });
  container.bind(ConsoleSettings).toConstantValue(consoleSettingsOf(config.http.console));
  container.bind(NetOptions).toConstantValue(config.net);
  container.bind(RunbookDefinitions).toConstantValue(config.runbooks);
  container.bind(ConfigSource).toConstantValue(parts.configSource ?? NO_CONFIG_SOURCE);
  container.bind(SandboxOptions).toConstantValue({
    runners: config.plugins.runners, heapCapMb: 256, defaultLimits: config.plugins.limits,
  });
  if (parts.cluster) container.bind(ClusterSettings).toConstantValue(parts.cluster);
  container.load(...featureModules(), ...(parts.cluster ? [clusterModule] : []), ...(parts.extraModules ?? []));
  return container;
}
