import { Container } from 'inversify';
import { afterEach, describe, expect, it, onTestFinished } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import { AuditLogImpl } from '../../../src/audit/audit-log-impl.js';
import { auditModule } from '../../../src/audit/audit-module.js';
import { Clock } from '../../../src/core/clock.js';
import { Logger } from '../../../src/core/logger.js';
import { Database } from '../../../src/storage/database.js';
import { FakeClock } from '../../fakes/fake-clock.js';
import { createTestLogger, type TestLogger } from '../../fakes/test-logger.js';
import { openTestDatabase } from '../../support/backends.js';

describe('auditModule', () => {
  let logger: TestLogger;
  afterEach(() => logger.assertNoErrors());

  it('binds one AuditLog that uses the container\'s Database, Clock and Logger', async () => {
    logger = createTestLogger();
    const { database, cleanup } = await openTestDatabase('sqlite', logger);
    onTestFinished(cleanup);
    const container = new Container();
    container.bind<Database>(Database).toConstantValue(database);
    container.bind<Clock>(Clock).toConstantValue(new FakeClock('2025-06-01T12:00:00.000Z'));
    container.bind<Logger>(Logger).toConstantValue(logger);
    container.load(auditModule);

    const audit = container.get<AuditLog>(AuditLog);
    expect(audit).toBeInstanceOf(AuditLogImpl);
    expect(container.get<AuditLog>(AuditLog)).toBe(audit);
    expect(await audit.append({ action: 'plugin.installed', actor: 'system' })).toMatchObject({ seq: 1, at: '2025-06-01T12:00:00.000Z' });
  });
});
