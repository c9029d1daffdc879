import { ContainerModule } from 'inversify';
import { CommandExecutor, CommandExecutorImpl } from './command-executor.js';
import { CommandRegistry, CommandRegistryImpl } from './command-registry.js';
import { EventDeduplicator, StoredEventDeduplicator } from './event-deduplicator.js';
import { Messenger, MessengerImpl } from './messenger.js';
import { Router, RouterImpl } from './router.js';
import { Wishlist, WishlistImpl } from './wishlist.js';

export const routingModule = new ContainerModule(({ bind }) => {
  bind(CommandRegistry).to(CommandRegistryImpl).inSingletonScope();
  bind(CommandExecutor).to(CommandExecutorImpl).inSingletonScope();
  bind(EventDeduplicator).to(StoredEventDeduplicator).inSingletonScope();
  bind(Messenger).to(MessengerImpl).inSingletonScope();
  bind(Wishlist).to(WishlistImpl).inSingletonScope();
  bind(Router).to(RouterImpl).inSingletonScope();
});
