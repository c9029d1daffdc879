import { afterEach, beforeEach, describe, expect, it, onTestFinished } from 'vitest';
import { WebhookDeliveriesImpl } from '../../../src/capabilities/webhook/webhook-deliveries.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { BACKENDS, openTestDatabase } from '../../support/backends.js';

const at = (iso: string): Date => new Date(iso);

describe.each(BACKENDS)('WebhookDeliveries on %s', (kind) => {
  let logger: TestLogger;
  let deliveries: WebhookDeliveriesImpl;

  beforeEach(async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase(kind, logger);
    onTestFinished(cleanup);
    deliveries = new WebhookDeliveriesImpl(database);
  });
  afterEach(() => logger.assertNoErrors());

  it('lets a delivery id through once per plugin, and exactly one of many simultaneous copies', async () => {
    expect(await deliveries.claim('github', 'd-1', at('2025-03-01T12:00:00Z'))).toBe(true);
    await deliveries.finish('github', 'd-1', true);
    expect(await deliveries.claim('github', 'd-1', at('2025-03-01T12:00:05Z'))).toBe(false);
    expect(await deliveries.claim('ci', 'd-1', at('2025-03-01T12:00:05Z'))).toBe(true);
    const raced = await Promise.all(Array.from({ length: 20 }, () => deliveries.claim('github', 'd-2', at('2025-03-01T12:00:00Z'))));
    expect(raced.filter(Boolean)).toHaveLength(1);
  });

  it('takes a failed delivery again, and one abandoned mid-call after 15 minutes, but not one still running', async () => {
    expect(await deliveries.claim('github', 'failed', at('2025-03-01T12:00:00Z'))).toBe(true);
    await deliveries.finish('github', 'failed', false);
    expect(await deliveries.claim('github', 'failed', at('2025-03-01T12:00:01Z'))).toBe(true);
    expect(await deliveries.claim('github', 'failed', at('2025-03-01T12:00:02Z'))).toBe(false);
    expect(await deliveries.claim('github', 'running', at('2025-03-01T12:00:00Z'))).toBe(true);
    expect(await deliveries.claim('github', 'running', at('2025-03-01T12:14:59Z'))).toBe(false);
    expect(await deliveries.claim('github', 'running', at('2025-03-01T12:15:01Z'))).toBe(true);
  });

  it('forgets deliveries received before the cut-off', async () => {
    await deliveries.claim('github', 'old', at('2025-03-01T00:00:00Z'));
    await deliveries.claim('github', 'new', at('2025-03-02T00:00:00Z'));
    await deliveries.finish('github', 'old', true);
    await deliveries.finish('github', 'new', true);
    expect(await deliveries.prune(at('2025-03-01T12:00:00Z'))).toBe(1);
    expect(await deliveries.claim('github', 'old', at('2025-03-02T01:00:00Z'))).toBe(true);
    expect(await deliveries.claim('github', 'new', at('2025-03-02T01:00:00Z'))).toBe(false);
  });
});
