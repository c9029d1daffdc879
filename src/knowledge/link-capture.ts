import { inject, injectable } from 'inversify';
import type { MessageEvent } from '../core/chat-event.js';
import type { OpsroomConfig } from '../config/config-schema.js';
import { OpsroomConfigToken } from '../config/load-config.js';
import type { Disposable } from '../core/disposable.js';
import type { LifecycleContribution } from '../core/lifecycle.js';
import { Logger } from '../core/logger.js';
import { RbacService } from '../rbac/rbac-service.js';
import { CommandRegistry } from '../routing/command-registry.js';
import { Router } from '../routing/router.js';

/** The plugin command a captured link is handed to, as the person who posted it. */
export const CAPTURE_COMMAND = 'bytes capture';
const MAX_LINKS_PER_MESSAGE = 5;
const URL_IN_TEXT = /\bhttps?:\/\/[^\s<>"'`]+/gi;

/** The links of a message (trailing punctuation and Discord's `<...>` wrapping left out), and the rest of its text. */
export function linksIn(text: string): { links: string[]; rest: string } {
  const links: string[] = [];
  for (const match of text.matchAll(URL_IN_TEXT)) {
    const link = match[0].replace(/[.,;:!?)\]}>]+$/, '');
    if (!links.includes(link)) links.push(link);
  }
  const rest = text.replace(URL_IN_TEXT, ' ').replace(/[<>]/g, ' ').replace(/\s+/g, ' ').replace(/\s+([,.;:!?])/g, '$1')
    .trim().replace(/^[,.;:!?\s]+|[,.;:!?\s]+$/g, '');
  return { links: links.slice(0, MAX_LINKS_PER_MESSAGE), rest };
}

/**
 * Opt-in capture for the knowledge channel: a link posted (not as a command) in one of `plugins.config.bytes.
 * captureChannels` becomes `bytes capture <url> -- <the rest of the message>`, run as the poster through the router,
 * so the gate, the audit log and the plugin's own deduplication apply exactly as if it had been typed. People who may
 * not use bytes, or a bytes plugin that is not loaded, mean nothing happens: no reply, no wishlist entry.
 */
@injectable()
export class LinkCapture implements LifecycleContribution {
  readonly name = 'link-capture';
  private readonly channels: ReadonlySet<string>;
  private subscription: Disposable | undefined;

  constructor(
    @inject(Router) private readonly router: Router,
    @inject(CommandRegistry) private readonly registry: CommandRegistry,
    @inject(RbacService) private readonly rbac: RbacService,
    @inject(OpsroomConfigToken) config: OpsroomConfig,
    @inject(Logger) private readonly logger: Logger,
  ) {
    const { ids, unknown } = captureChannelsOf(config);
    this.channels = ids;
    if (unknown.length > 0) {
      logger.warn({ unknown }, 'plugins.config.bytes.captureChannels names channels that are neither aliases of channels nor qualified channel ids; links there are not captured');
    }
  }

  async start(): Promise<void> {
    if (this.channels.size === 0) return;
    this.subscription = this.router.onDidReceiveEvent(async (event) => {
      if (event.type === 'message' && this.channels.has(event.channel.id)) await this.capture(event);
    });
  }

  async stop(): Promise<void> {
    this.subscription?.dispose();
    this.subscription = undefined;
  }

  private async capture(event: MessageEvent): Promise<void> {
    const { links, rest } = linksIn(event.text);
    const command = this.registry.get(CAPTURE_COMMAND);
    if (links.length === 0 || !command) return;
    if (!this.rbac.mayRun(event.actor, command.spec).allowed) {
      this.logger.debug({ actor: event.actor.id, channel: event.channel.id }, 'link not captured: the poster may not use bytes');
      return;
    }
    for (const [index, link] of links.entries()) {
      await this.router.handle({
        ...event, id: `${event.id}#capture-${index + 1}`, mentionsBot: true,
        text: `${CAPTURE_COMMAND} ${link}${rest === '' ? '' : ` -- ${rest.slice(0, 300)}`}`,
      });
    }
  }
}

/** The qualified channel ids to capture in: aliases of `channels` (on every platform they map to) or qualified ids. */
export function captureChannelsOf(config: OpsroomConfig): { ids: Set<string>; unknown: string[] } {
  const listed = config.plugins.config.bytes?.captureChannels;
  const names = Array.isArray(listed) ? listed.map(String) : [];
  const ids = new Set<string>();
  const unknown: string[] = [];
  for (const name of names) {
    const alias = Object.hasOwn(config.channels, name) ? config.channels[name] : undefined;
    if (alias) for (const id of Object.values(alias)) ids.add(id);
    else if (/^(discord|teams|local):(channel|conversation):.+$/.test(name)) ids.add(name);
    else unknown.push(name);
  }
  return { ids, unknown };
}
