import { inject, injectable } from 'inversify';
import { LocalChatHub } from '../../../core/local-chat-hub.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, sendJson, requiredString } from '../http-io.js';

/**
 * The web side of the local chat: a line, a reaction or a button press becomes the same ChatEvent the terminal
 * makes, from the user the page speaks as, and goes to the same router. The answer comes over the WebSocket.
 */
@injectable()
export class ChatApi implements ConsoleApi {
  constructor(@inject(LocalChatHub) private readonly hub: LocalChatHub) {}

  routes(): ConsoleRoute[] {
    return [
      { method: 'POST', path: '/api/chat/messages', handle: (r) => this.message(r) },
      { method: 'POST', path: '/api/chat/reactions', handle: (r) => this.reaction(r) },
      { method: 'POST', path: '/api/chat/actions', handle: (r) => this.action(r) },
    ];
  }

  private async message(request: ConsoleRequest): Promise<void> {
    const body = await request.body();
    const channel = requiredString(body, 'channel', 100);
    const text = requiredString(body, 'text');
    const entry = await this.hub.say({ kind: 'message', user: request.user().info.name, channel, text });
    sendJson(request.res, 201, { entry });
  }

  private async reaction(request: ConsoleRequest): Promise<void> {
    const body = await request.body();
    const messageId = requiredString(body, 'messageId', 100);
    const emoji = requiredString(body, 'emoji', 32);
    const added = body.added ?? true;
    if (typeof added !== 'boolean') throw new ConsoleHttpError(400, 'E_BAD_ARGS', '"added" must be true (react) or false (take the reaction back)');
    const entry = await this.hub.say({ kind: 'reaction', user: request.user().info.name, messageId, emoji, added });
    sendJson(request.res, 200, { entry });
  }

  private async action(request: ConsoleRequest): Promise<void> {
    const body = await request.body();
    const messageId = requiredString(body, 'messageId', 100);
    const actionId = requiredString(body, 'actionId', 100);
    const entry = await this.hub.say({ kind: 'action', user: request.user().info.name, messageId, actionId });
    sendJson(request.res, 200, { entry });
  }
}
