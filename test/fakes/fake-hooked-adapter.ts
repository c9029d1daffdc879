import type { IncomingMessage, ServerResponse } from 'node:http';
import type { AdapterHttpRoute, ConversationReference, RefusedEvent } from '../../src/core/chat-adapter.js';
import { disposable, type Disposable } from '../../src/core/disposable.js';
import type { Platform, QualifiedId } from '../../src/core/identity.js';
import { FakeAdapter } from './fake-adapter.js';

/** A fake adapter with every optional hook: an HTTP route, conversation references and refusals the test drives. */
export class FakeHookedAdapter extends FakeAdapter {
  readonly restored: unknown[] = [];
  readonly requests: string[] = [];
  private readonly captureListeners = new Set<(reference: ConversationReference) => void>();
  private readonly forgetListeners = new Set<(channelId: QualifiedId) => void>();
  private readonly refusalListeners = new Set<(refusal: RefusedEvent) => void>();

  constructor(platform: Platform, private readonly routes: AdapterHttpRoute[] = []) {
    super(platform);
  }

  /** A route answering 200 with the path it served, recording the request. */
  static echoRoute(path: string, requests: string[]): AdapterHttpRoute {
    return {
      method: 'POST', path,
      handler: async (req: IncomingMessage, res: ServerResponse) => {
        requests.push(`${req.method ?? ''} ${req.url ?? ''}`);
        res.writeHead(200, { 'content-type': 'text/plain' }).end(`served ${path}`);
      },
    };
  }

  httpRoutes(): AdapterHttpRoute[] {
    return this.routes;
  }

  /** Refuses entries without a string channelId, as a real adapter refuses a malformed reference. */
  restoreReferences(references: readonly unknown[]): void {
    for (const reference of references) {
      const channelId = (reference as { channelId?: unknown } | null)?.channelId;
      if (typeof channelId !== 'string') throw new Error('reference #0 is invalid: channelId: required');
    }
    this.restored.push(...references);
  }

  onDidCaptureReference(listener: (reference: ConversationReference) => void): Disposable {
    this.captureListeners.add(listener);
    return disposable(() => this.captureListeners.delete(listener));
  }

  onDidForgetReference(listener: (channelId: QualifiedId) => void): Disposable {
    this.forgetListeners.add(listener);
    return disposable(() => this.forgetListeners.delete(listener));
  }

  onDidRefuseEvent(listener: (refusal: RefusedEvent) => void): Disposable {
    this.refusalListeners.add(listener);
    return disposable(() => this.refusalListeners.delete(listener));
  }

  capture(reference: ConversationReference & Record<string, unknown>): void {
    for (const listener of this.captureListeners) listener(reference);
  }

  forget(channelId: QualifiedId): void {
    for (const listener of this.forgetListeners) listener(channelId);
  }

  refuse(refusal: RefusedEvent): void {
    for (const listener of this.refusalListeners) listener(refusal);
  }
}
