import type { RESTPostAPIChatInputApplicationCommandsJSONBody } from 'discord-api-types/v10';
import type { REST } from 'discord.js';
import type { Logger } from '../../src/core/logger.js';
import { explainRegistrationError } from './register-commands.js';
import { putSlashCommands } from './slash-commands.js';

type Bodies = readonly RESTPostAPIChatInputApplicationCommandsJSONBody[];

/** Where the slash commands go: the application (known once connected) and one guild, or every guild. */
export interface SyncTarget {
  rest: Pick<REST, 'put'>;
  applicationId: () => string | undefined;
  guildId: string | undefined;
}

/** A plugin (re)load registers its commands one at a time; one bulk overwrite covers the whole change. */
const SETTLE_MS = 500;

/**
 * Keeps the application's slash commands equal to opsroom's command list: one bulk overwrite per change, one at a
 * time, and none when Discord already holds exactly that list (a bulk overwrite of unchanged commands costs nothing
 * but a request, yet a process restarted in a loop should not send one each time the list has not moved).
 */
export class CommandSync {
  private wanted: Bodies | undefined;
  private registered: string | undefined;
  private timer: NodeJS.Timeout | undefined;
  private running: Promise<void> = Promise.resolve();
  private closed = false;

  constructor(private readonly target: SyncTarget, private readonly logger: Logger, private readonly settleMs = SETTLE_MS) {}

  /** Registers these commands once the list settles, or at once (`now`: the first list after connecting). */
  want(bodies: Bodies, now = false): void {
    if (this.closed) return;
    this.wanted = bodies;
    clearTimeout(this.timer);
    this.timer = setTimeout(() => void this.flush(), now ? 0 : this.settleMs);
    this.timer.unref();
  }

  /** Registers what is wanted now; resolves when done (a failure is logged: the commands still work when typed). */
  flush(): Promise<void> {
    clearTimeout(this.timer);
    this.running = this.running.then(() => this.register());
    return this.running;
  }

  /** Stops registering; waits for a registration already under way. */
  async close(): Promise<void> {
    this.closed = true;
    clearTimeout(this.timer);
    await this.running;
  }

  private async register(): Promise<void> {
    const bodies = this.wanted;
    if (bodies === undefined || this.closed) return;
    const json = JSON.stringify(bodies);
    if (json === this.registered) return;
    const { guildId } = this.target;
    const scope = guildId === undefined ? 'globally' : `in guild ${guildId}`;
    const applicationId = this.target.applicationId();
    if (applicationId === undefined) {
      this.logger.error({ scope }, 'cannot register Discord slash commands: the application id is unknown (set adapters.discord.applicationId)');
      return;
    }
    try {
      await putSlashCommands(this.target.rest, applicationId, bodies, guildId);
      this.registered = json;
      this.logger.info({ scope, commands: bodies.map((b) => b.name) }, 'registered the Discord slash commands');
    } catch (error) {
      this.logger.error({ err: explainRegistrationError(error, scope), scope },
        'could not register the Discord slash commands; the commands still work typed with the prefix or a mention');
    }
  }
}
