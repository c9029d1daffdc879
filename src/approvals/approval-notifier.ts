import { inject, injectable } from 'inversify';
import type { Invocation } from '../core/command.js';
import { Logger } from '../core/logger.js';
import type { MessageRef, OutboundMessage } from '../core/message.js';
import { Messenger } from '../routing/messenger.js';
import type { ApprovalRequest } from './approval-request.js';

/** What approvals say in chat: the request message, its updates, and replies in its thread. */
export const ApprovalNotifier = Symbol('ApprovalNotifier');
export interface ApprovalNotifier {
  /** Posts the request as a reply to the message that asked; throws when the platform refuses. */
  post(request: ApprovalRequest, source: MessageRef, message: OutboundMessage): Promise<MessageRef>;
  /** Rewrites the request message; a failure is logged, never thrown (the state change already happened). */
  update(request: ApprovalRequest, message: OutboundMessage): Promise<void>;
  /** Answers in the request's thread; a failure is logged, never thrown. */
  reply(request: ApprovalRequest, message: OutboundMessage): Promise<void>;
  /** True when an adapter of the platform is running, so the channel can be told. */
  canReach(request: ApprovalRequest): boolean;
}

@injectable()
export class ApprovalNotifierImpl implements ApprovalNotifier {
  private readonly logger: Logger;

  constructor(
    @inject(Messenger) private readonly messenger: Messenger,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'approvals' });
  }

  post(request: ApprovalRequest, source: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return this.messenger.reply(request.platform, source, message);
  }

  async update(request: ApprovalRequest, message: OutboundMessage): Promise<void> {
    if (request.messageId === undefined) return;
    try {
      await this.messenger.update(request.platform, this.refOf(request, request.messageId), message);
    } catch (err) {
      this.logger.warn({ err, request: request.id, platform: request.platform }, 'could not update an approval request message');
    }
  }

  async reply(request: ApprovalRequest, message: OutboundMessage): Promise<void> {
    const to = request.messageId === undefined ? this.sourceOf(request) : this.refOf(request, request.messageId);
    try {
      await this.messenger.reply(request.platform, to, message);
    } catch (err) {
      this.logger.warn({ err, request: request.id, platform: request.platform }, 'could not reply in an approval request thread');
    }
  }

  canReach(request: ApprovalRequest): boolean {
    return this.messenger.adapters().some((adapter) => adapter.platform === request.platform);
  }

  /** The request message was posted where the command came in: in a cluster, through the gateway its source names. */
  private refOf(request: ApprovalRequest, messageId: string): MessageRef {
    const { via } = this.sourceOf(request);
    return { channelId: request.channelId, messageId, ...(request.threadId ? { threadId: request.threadId } : {}), ...(via ? { via } : {}) };
  }

  private sourceOf(request: ApprovalRequest): MessageRef {
    return (JSON.parse(request.frozen) as Invocation).source;
  }
}
