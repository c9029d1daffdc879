import { ContainerModule } from 'inversify';
import { ApprovalsApi } from './api/approvals-api.js';
import { AuditApi } from './api/audit-api.js';
import { ChatApi } from './api/chat-api.js';
import { ChatFilesApi } from './api/chat-files-api.js';
import { PluginsApi } from './api/plugins-api.js';
import { RolesApi } from './api/roles-api.js';
import { SessionApi } from './api/session-api.js';
import { WishlistApi } from './api/wishlist-api.js';
import { ConsoleGate } from './console-gate.js';
import { ConsoleApi } from './console-route.js';
import { ConsoleSessions, ConsoleSessionsImpl } from './console-sessions.js';
import { ConsoleSocket, ConsoleSocketImpl } from './console-socket.js';
import { WebConsole, WebConsoleImpl } from './web-console.js';

/**
 * The web console. Needs `ConsoleSettings` from the composition root, and `LocalChatHub`, which the local adapter
 * provides: the root binds it once that adapter exists, before anything here is resolved.
 */
export const consoleModule = new ContainerModule(({ bind }) => {
  bind(ConsoleSessions).to(ConsoleSessionsImpl).inSingletonScope();
  bind(ConsoleSocket).to(ConsoleSocketImpl).inSingletonScope();
  bind(ConsoleGate).toSelf().inSingletonScope();
  for (const api of [SessionApi, ChatApi, ChatFilesApi, ApprovalsApi, AuditApi, PluginsApi, RolesApi, WishlistApi]) bind(ConsoleApi).to(api).inSingletonScope();
  bind(WebConsole).to(WebConsoleImpl).inSingletonScope();
});
