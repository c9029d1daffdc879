import { ContainerModule } from 'inversify';
import { RunbookRunner, RunbookRunnerImpl } from './runbooks/runbook-runner.js';
import { Scheduler, SchedulerImpl } from './schedule/scheduler.js';
import { PluginKvStore, PluginKvStoreImpl } from './storage/plugin-kv-store.js';

/**
 * The database- and host-backed capabilities: plugin storage, runbooks and schedules. Needs `Database`,
 * `Clock`, `Logger` and `RunbookDefinitions` (`toConstantValue(config.runbooks)`) from the composition root.
 */
export const capabilitiesModule = new ContainerModule(({ bind }) => {
  bind<PluginKvStore>(PluginKvStore).to(PluginKvStoreImpl).inSingletonScope();
  bind<RunbookRunner>(RunbookRunner).to(RunbookRunnerImpl).inSingletonScope();
  bind<Scheduler>(Scheduler).to(SchedulerImpl).inSingletonScope();
});
