import { createWriteStream } from 'node:fs';
import { once } from 'node:events';
import { AuditLog } from '../audit/audit-log.js';
import { createContainer } from '../di/create-container.js';
import { openDatabase } from '../storage/database.js';
import { loggerFor, readConfig, reportFailure, tolerateClosedStdout } from './cli-support.js';

async function withAudit<T>(configFile: string | undefined, use: (audit: AuditLog) => Promise<T>): Promise<T> {
  const config = readConfig(configFile);
  const { logger } = loggerFor(config, false, true);
  const database = await openDatabase(config.storage, logger);
  try {
    const container = createContainer({ config, logger, database });
    return await use(container.get<AuditLog>(AuditLog));
  } finally {
    await database.close();
  }
}

/** `opsroom audit verify`: 0 when the chain is intact, 3 naming the first bad entry otherwise. */
export async function runAuditVerify(options: { config?: string }): Promise<number> {
  try {
    const result = await withAudit(options.config, (audit) => audit.verify());
    if (result.ok) {
      process.stdout.write(`audit chain intact: ${result.entries} entries verified\n`);
      return 0;
    }
    process.stdout.write(`audit chain BROKEN at entry ${result.firstBad.seq}: ${result.firstBad.reason} (${result.entries} entries read)\n`);
    return 3;
  } catch (error) {
    return reportFailure(error);
  }
}

/** `opsroom audit export --format jsonl [--out file]`: the whole log, oldest first. */
export async function runAuditExport(options: { config?: string; format: string; out?: string }): Promise<number> {
  try {
    if (options.format !== 'jsonl') {
      process.stderr.write(`opsroom: unknown export format "${options.format}" (expected jsonl)\n`);
      return 2;
    }
    if (!options.out) tolerateClosedStdout();
    const stream = options.out ? createWriteStream(options.out) : process.stdout;
    const count = await withAudit(options.config, (audit) =>
      audit.export(async (line) => {
        if (!stream.write(line.endsWith("\n") ? line : `${line}\n`)) await once(stream, "drain");
      }));
    if (options.out) {
      (stream as ReturnType<typeof createWriteStream>).end();
      await once(stream, 'finish');
      process.stderr.write(`wrote ${count} audit entries to ${options.out}\n`);
    }
    return 0;
  } catch (error) {
    return reportFailure(error);
  }
}
