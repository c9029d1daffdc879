import type { AuditLog } from '../audit/audit-log.js';
import type { ChatAdapter, RefusedEvent } from '../core/chat-adapter.js';
import type { Clock } from '../core/clock.js';
import type { Disposable } from '../core/disposable.js';
import { OpsroomError } from '../core/errors.js';
import { isQualifiedUser, type QualifiedId } from '../core/identity.js';
import type { Logger } from '../core/logger.js';
import type { HttpServer } from '../http/http-server.js';
import type { ConversationReferenceStore } from '../storage/conversation-reference-store.js';

export interface AdapterHooksDeps {
  /** The shared HTTP server, or undefined when it is off. */
  http: HttpServer | undefined;
  references: ConversationReferenceStore;
  audit: AuditLog;
  clock: Clock;
  logger: Logger;
}

/**
 * Connects the optional parts of an adapter to the rest of opsroom: its HTTP routes to the shared server, its
 * conversation references to the database (restored before it starts, saved as they change), and the events it
 * refused to the audit log. Writes to one channel's reference run in order, so the last change wins.
 */
export class AdapterHooks {
  private readonly chains = new Map<string, Promise<void>>();
  private readonly pending = new Set<Promise<unknown>>();

  constructor(private readonly deps: AdapterHooksDeps) {}

  /** Call before the adapter starts; the disposables undo the subscriptions and routes. */
  async attach(adapter: ChatAdapter): Promise<Disposable[]> {
    const subscriptions = this.mountRoutes(adapter);
    if (adapter.restoreReferences) await this.restore(adapter, adapter.restoreReferences.bind(adapter));
    const { platform } = adapter;
    const capture = adapter.onDidCaptureReference?.((reference) => this.inOrder(`${platform}|${reference.channelId}`, () =>
      this.deps.references.save(platform, reference.channelId, reference, this.deps.clock.now())));
    const forget = adapter.onDidForgetReference?.((channelId) => this.inOrder(`${platform}|${channelId}`, async () => {
      await this.deps.references.remove(platform, channelId);
    }));
    const refusals = adapter.onDidRefuseEvent?.((refusal) => this.track(this.auditRefusal(adapter, refusal)));
    return [...subscriptions, ...[capture, forget, refusals].filter((s): s is Disposable => s !== undefined)];
  }

  /** Resolves when every reference write and audit entry started so far has finished (before storage closes). */
  async flush(): Promise<void> {
    while (this.pending.size > 0) await Promise.allSettled([...this.pending]);
  }

  private mountRoutes(adapter: ChatAdapter): Disposable[] {
    const routes = adapter.httpRoutes?.() ?? [];
    if (routes.length === 0) return [];
    const { http } = this.deps;
    if (!http) {
      const served = routes.map((r) => `${r.method} ${r.path}`).join(', ');
      throw new OpsroomError('E_CONFIG', `the ${adapter.platform} adapter receives its events at ${served} on the HTTP server, which is off; set http.enabled: true`);
    }
    return routes.map((route) => http.route(route.method, route.path, (req, res) => route.handler(req, res)));
  }

  /** One entry at a time: a malformed row is dropped (and logged) rather than costing every other reference. */
  private async restore(adapter: ChatAdapter, restore: (references: readonly unknown[]) => void): Promise<void> {
    const stored = await this.deps.references.list(adapter.platform);
    let restored = 0;
    for (const { channelId, reference } of stored) {
      try {
        restore([reference]);
        restored++;
      } catch (error) {
        this.deps.logger.warn({ err: error, platform: adapter.platform, channelId }, 'dropped a stored conversation reference that is invalid; '
          + 'the next message in that conversation captures it again');
        await this.deps.references.remove(adapter.platform, channelId);
      }
    }
    if (stored.length > 0) this.deps.logger.info({ platform: adapter.platform, restored }, 'conversation references restored');
  }

  private inOrder(key: string, write: () => Promise<void>): void {
    const previous = this.chains.get(key) ?? Promise.resolve();
    const next = previous.then(write).catch((error: unknown) => {
      this.deps.logger.error({ err: error, reference: key }, 'could not store a conversation reference; posts there may fail after a restart');
    });
    this.chains.set(key, next);
    this.track(next.finally(() => {
      if (this.chains.get(key) === next) this.chains.delete(key);
    }));
  }

  private async auditRefusal(adapter: ChatAdapter, refusal: RefusedEvent): Promise<void> {
    const actor: QualifiedId = refusal.actor && isQualifiedUser(refusal.actor) ? refusal.actor : 'system';
    try {
      await this.deps.audit.append({
        action: 'event.refused', actor, platform: adapter.platform, channel: refusal.channel, outcome: 'refused',
        detail: { reason: refusal.reason, ...(refusal.detail ?? {}) },
      });
    } catch (error) {
      this.deps.logger.error({ err: error, platform: adapter.platform }, 'could not audit a refused event');
    }
  }

  private track(work: Promise<unknown>): void {
    const settled = work.then(() => undefined, () => undefined);
    this.pending.add(settled);
    void settled.then(() => this.pending.delete(settled));
  }
}
