import { disposable, type Disposable } from '../../src/core/disposable.js';
import { OpsroomError } from '../../src/core/errors.js';
import type {
  LocalChatChange, LocalChatEntry, LocalChatFileContent, LocalChatHub, LocalChatInput, LocalUserInfo,
} from '../../src/core/local-chat-hub.js';
import type { Logger } from '../../src/core/logger.js';
import type { LocalPlatform } from './local-platform.js';
import type { SavedFiles } from './saved-files.js';

/** The local platform as the web console sees it: post as a local user, follow the conversation. */
export class LocalHub implements LocalChatHub {
  private issuer: (() => string) | undefined;

  constructor(private readonly local: LocalPlatform, private readonly files: SavedFiles, private readonly logger: Logger | undefined) {}

  get botName(): string {
    return this.local.options.botName;
  }

  users(): LocalUserInfo[] {
    return this.local.users();
  }

  defaultUser(): string {
    const { defaultUser, users } = this.local.options;
    return users.some((u) => u.name === defaultUser) ? defaultUser : (users[0]?.name ?? defaultUser);
  }

  channels(): string[] {
    return [...this.local.options.channels];
  }

  history(): LocalChatEntry[] {
    return this.local.log.history();
  }

  async say(input: LocalChatInput): Promise<LocalChatEntry> {
    const { entry, handled } = this.local.act(input, 'web');
    handled.catch((err: unknown) => this.logger?.error({ err, kind: input.kind }, 'a web console event was not handled'));
    // The web side may only act on messages the log holds, so there is always an entry.
    if (!entry) throw new OpsroomError('E_INTERNAL', 'a web console act left no message behind');
    return entry;
  }

  onDidChange(listener: (change: LocalChatChange) => void): Disposable {
    return this.local.log.onDidChange((change) => {
      try {
        listener(change);
      } catch (err) {
        this.logger?.error({ err, message: change.entry.id }, 'a local chat listener failed');
      }
    });
  }

  openFile(messageId: string, index: number): Promise<LocalChatFileContent> {
    return this.files.open(messageId, index);
  }

  provideLoginLinks(issuer: () => string): Disposable {
    this.issuer = issuer;
    return disposable(() => { if (this.issuer === issuer) this.issuer = undefined; });
  }

  /** A fresh login link for the terminal's `/web`, or undefined while no web console runs. */
  loginLink(): string | undefined {
    return this.issuer?.();
  }
}
