import { ContainerModule } from 'inversify';
import { ScheduleLease } from '../capabilities/schedule/scheduler.js';
import { PluginManager, PluginManagerImpl } from '../plugins/plugin-manager.js';
import { RbacService, RbacServiceImpl } from '../rbac/rbac-service.js';
import { CommandExecutor, CommandExecutorImpl } from '../routing/command-executor.js';
import { Messenger } from '../routing/messenger.js';
import { CatalogPluginManager } from './catalog-plugin-manager.js';
import { ClusterBus, ClusterBusImpl } from './cluster-bus.js';
import { ClusterMessenger } from './cluster-messenger.js';
import { ClusterMetrics, ClusterMetricsImpl } from './cluster-metrics.js';
import { ClusterNode, ClusterNodeImpl } from './cluster-node.js';
import { ClusterSettings, holdsConnections, runsInvocations } from './cluster-settings.js';
import { ClusteredPluginManager } from './clustered-plugin-manager.js';
import { ClusteredRbacService } from './clustered-rbac-service.js';
import { JobDispatcher, JobDispatcherImpl } from './job-dispatcher.js';
import { JobRunner, JobRunnerImpl } from './job-runner.js';
import { NodeInbox, NodeInboxImpl } from './node-inbox.js';
import { NodePresence, NodePresenceImpl } from './node-presence.js';
import { NodeRpc, NodeRpcImpl } from './node-rpc.js';
import { PluginCatalog, PluginCatalogImpl } from './plugin-catalog.js';
import { QueueCommandExecutor } from './queue-command-executor.js';
import { RedisConnections, RedisConnectionsImpl } from './redis-connections.js';

/**
 * Many processes on PostgreSQL and Redis. Loaded after the feature modules, only when REDIS_URL is set; needs
 * `ClusterSettings` from the composition root. A gateway hands invocations to the queue and mirrors the workers'
 * plugin catalog; a worker runs invocations with its own executor; every process sends through the gateway that
 * holds a conversation, and tells the others about role, plugin and configuration changes.
 */
export const clusterModule = new ContainerModule(({ bind, rebind }) => {
  bind(RedisConnections).to(RedisConnectionsImpl).inSingletonScope();
  bind(ClusterBus).to(ClusterBusImpl).inSingletonScope();
  bind(NodePresence).to(NodePresenceImpl).inSingletonScope();
  bind(NodeInbox).to(NodeInboxImpl).inSingletonScope();
  bind(NodeRpc).to(NodeRpcImpl).inSingletonScope();
  bind(ClusterMetrics).to(ClusterMetricsImpl).inSingletonScope();
  bind(JobDispatcher).to(JobDispatcherImpl).inSingletonScope();
  bind(JobRunner).to(JobRunnerImpl).inSingletonScope();
  bind(PluginCatalog).to(PluginCatalogImpl).inSingletonScope();
  bind(ClusterNode).to(ClusterNodeImpl).inSingletonScope();

  bind(ClusterMessenger).toSelf().inSingletonScope();
  rebind(Messenger).toService(ClusterMessenger);

  bind(CommandExecutorImpl).toSelf().inSingletonScope();
  bind(QueueCommandExecutor).toSelf().inSingletonScope();
  rebind(CommandExecutor).toDynamicValue((context) => {
    const settings = context.get<ClusterSettings>(ClusterSettings);
    return holdsConnections(settings) ? context.get(QueueCommandExecutor) : context.get(CommandExecutorImpl);
  }).inSingletonScope();

  bind(RbacServiceImpl).toSelf().inSingletonScope();
  rebind(RbacService).to(ClusteredRbacService).inSingletonScope();

  bind(PluginManagerImpl).toSelf().inSingletonScope();
  bind(ClusteredPluginManager).toSelf().inSingletonScope();
  bind(CatalogPluginManager).toSelf().inSingletonScope();
  rebind(PluginManager).toDynamicValue((context) => {
    const settings = context.get<ClusterSettings>(ClusterSettings);
    // A gateway alone holds no sandbox: its plugins are the workers' catalog.
    return settings.serves && !runsInvocations(settings) ? context.get(CatalogPluginManager) : context.get(ClusteredPluginManager);
  }).inSingletonScope();

  bind(ScheduleLease).toDynamicValue((context) => {
    const settings = context.get<ClusterSettings>(ClusterSettings);
    return { owner: settings.nodeId, leaseMs: settings.scheduleLeaseMs };
  }).inSingletonScope();
});
