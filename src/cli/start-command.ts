import { PROCESS_ROLES, type ProcessRole } from '../cluster/cluster-config-schema.js';
import { loadConfig } from '../config/load-config.js';
import { OpsroomApp } from '../di/opsroom-app.js';
import { loggerFor, reportFailure } from './cli-support.js';

export interface StartOptions {
  config?: string;
  as?: string;
  /** false for `shell`: the console alone, no HTTP server. */
  http: boolean;
  /** `start --role`: overrides cluster.role (OPSROOM_ROLE). */
  role?: string;
}

/** `opsroom start` and `opsroom shell`: run until the input ends or a signal arrives, then stop gracefully. */
export async function runStart(options: StartOptions): Promise<number> {
  let app: OpsroomApp | undefined;
  // Listen before anything starts, so a signal during start-up still stops gracefully.
  const signalled = new Promise<void>((resolve) => {
    for (const signal of ['SIGINT', 'SIGTERM'] as const) process.once(signal, () => resolve());
  });
  try {
    if (options.role !== undefined && !(PROCESS_ROLES as readonly string[]).includes(options.role)) {
      process.stderr.write(`opsroom: --role must be one of ${PROCESS_ROLES.join(', ')} (got "${options.role}")\n`);
      return 2;
    }
    const { config, file: configFile } = loadConfig({ file: options.config });
    // A server runs in its role; the shell is a one-shot console.
    const role = options.http ? (options.role as ProcessRole | undefined) ?? config.cluster.role : undefined;
    if (options.as) config.adapters.local.defaultUser = options.as;
    if (options.as && !config.adapters.local.users.some((u) => u.name === options.as)) {
      process.stderr.write(`opsroom: no demo user "${options.as}" (known: ${config.adapters.local.users.map((u) => u.name).join(', ')})\n`);
      return 2;
    }
    const interactive = Boolean(process.stdin.isTTY && process.stdout.isTTY);
    const { logger, file } = loggerFor(config, config.adapters.local.enabled && role !== 'worker');
    app = await OpsroomApp.start({
      config, logger, http: options.http, io: { input: process.stdin, output: process.stdout, interactive }, role,
      configSource: { file: configFile, watch: configFile !== undefined, control: configFile !== undefined },
    });
    if (interactive) {
      const where = app.httpAddress ? ` HTTP on http://${app.httpAddress.address}:${app.httpAddress.port}.` : '';
      process.stdout.write(`Logs go to ${file ?? 'stderr'}.${where}\n`);
    }
    const loginUrl = app.consoleLoginUrl();
    // Like a notebook server: whoever can read this output may open the console, once per link.
    if (loginUrl) process.stdout.write(`Web console: ${loginUrl}\n${interactive ? '  (a one-time login link; /web prints another)\n' : ''}`);
    const running = app;
    // The shell ends with its input; a server runs until it is told to stop.
    await (options.http ? signalled : Promise.race([running.finished(), signalled]));
    await running.stop();
    return 0;
  } catch (error) {
    await app?.stop().catch(() => undefined);
    return reportFailure(error);
  }
}
