import { ContainerModule } from 'inversify';
import { ConversationReferenceStore, ConversationReferenceStoreImpl } from './conversation-reference-store.js';
import { InboundEventStore, InboundEventStoreImpl } from './inbound-event-store.js';
import { WishlistStore, WishlistStoreImpl } from './wishlist-store.js';

/** The repositories. `Database` itself is bound by the composition root (`toConstantValue`), since opening is async. */
export const storageModule = new ContainerModule(({ bind }) => {
  bind<InboundEventStore>(InboundEventStore).to(InboundEventStoreImpl).inSingletonScope();
  bind<WishlistStore>(WishlistStore).to(WishlistStoreImpl).inSingletonScope();
  bind<ConversationReferenceStore>(ConversationReferenceStore).to(ConversationReferenceStoreImpl).inSingletonScope();
});
