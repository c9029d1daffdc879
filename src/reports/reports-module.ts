import { ContainerModule } from 'inversify';
import { BuiltinCommand } from '../builtins/builtin-command.js';
import { WebhookObserver } from '../capabilities/webhook/webhook-observer.js';
import { ChartRenderer, ChartRendererImpl } from './chart-renderer.js';
import { CommandsReportCommand } from './commands-report-command.js';
import { DeploysReportCommand } from './deploys-report-command.js';
import { FeedRecorder } from './feed-recorder.js';
import { ReportIndexCommand } from './report-index-command.js';
import { WishlistReportCommand } from './wishlist-report-command.js';

/** Reports from opsroom's own records, with PNG charts; records the feed facts (commits, alerts) they need. Needs `historyModule`. */
export const reportsModule = new ContainerModule(({ bind }) => {
  bind(ChartRenderer).to(ChartRendererImpl).inSingletonScope();
  bind(WebhookObserver).to(FeedRecorder).inSingletonScope();
  for (const command of [ReportIndexCommand, DeploysReportCommand, CommandsReportCommand, WishlistReportCommand]) {
    bind(BuiltinCommand).to(command).inSingletonScope();
  }
});
