import { Container } from 'inversify';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { Database } from '../../../src/storage/database.js';
import { InboundEventStore, InboundEventStoreImpl } from '../../../src/storage/inbound-event-store.js';
import { storageModule } from '../../../src/storage/storage-module.js';
import { WishlistStore, WishlistStoreImpl } from '../../../src/storage/wishlist-store.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { openTestDatabase } from '../../support/backends.js';

describe('storageModule', () => {
  let logger: TestLogger;
  afterEach(() => logger.assertNoErrors());

  it('binds each repository once, on top of the Database the composition root provides', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase('sqlite', logger);
    onTestFinished(cleanup);
    const container = new Container();
    container.bind<Database>(Database).toConstantValue(database);
    container.load(storageModule);

    const events = container.get<InboundEventStore>(InboundEventStore);
    expect(events).toBeInstanceOf(InboundEventStoreImpl);
    expect(container.get<InboundEventStore>(InboundEventStore)).toBe(events);
    expect(container.get<WishlistStore>(WishlistStore)).toBeInstanceOf(WishlistStoreImpl);
    expect(await events.markSeen('local', 'e', new Date())).toBe(true);
  });
});
