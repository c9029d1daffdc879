import { randomBytes } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { disposable, type Disposable } from '../core/disposable.js';
import { OpsroomError } from '../core/errors.js';
import { Logger } from '../core/logger.js';
import { ClusterSettings } from './cluster-settings.js';
import { NodeInbox, type InboxMessage } from './node-inbox.js';
import { NodePresence } from './node-presence.js';
import { fromWire, toWire } from './wire-error.js';

export type RpcHandler = (params: unknown, from: string) => Promise<unknown>;

const DEFAULT_TIMEOUT_MS = 30_000;
const CHECK_MS = 1_000;

interface PendingCall {
  target: string;
  method: string;
  resolve: (value: unknown) => void;
  reject: (error: unknown) => void;
  timer: NodeJS.Timeout;
}

/** Calls from one process to a method another one serves, over their inboxes; a call to a process that died fails fast. */
export const NodeRpc = Symbol('NodeRpc');
export interface NodeRpc {
  start(): void;
  call<T>(target: string, method: string, params: unknown, timeoutMs?: number): Promise<T>;
  serve(method: string, handler: RpcHandler): Disposable;
  stop(): void;
}

@injectable()
export class NodeRpcImpl implements NodeRpc {
  private readonly pending = new Map<string, PendingCall>();
  private readonly methods = new Map<string, RpcHandler>();
  private readonly subscriptions: Disposable[] = [];
  private readonly logger: Logger;
  private checker: NodeJS.Timeout | undefined;
  private sequence = 0;
  private readonly prefix = randomBytes(4).toString('hex');

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(NodeInbox) private readonly inbox: NodeInbox,
    @inject(NodePresence) private readonly presence: NodePresence,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'cluster' });
  }

  start(): void {
    if (this.checker) return;
    this.subscriptions.push(
      this.inbox.on('call', (message) => void this.answer(message)),
      this.inbox.on('answer', (message) => this.settle(message)),
    );
    this.checker = setInterval(() => this.failCallsToTheDead(), CHECK_MS);
    this.checker.unref();
  }

  call<T>(target: string, method: string, params: unknown, timeoutMs = DEFAULT_TIMEOUT_MS): Promise<T> {
    if (!this.presence.isAlive(target)) return Promise.reject(gone(target, method));
    const id = `${this.prefix}${(++this.sequence).toString(36)}`;
    return new Promise<T>((resolve, reject) => {
      const timer = setTimeout(() => {
        this.pending.delete(id);
        reject(new OpsroomError('E_CLUSTER', `${target} did not answer ${method} within ${timeoutMs} ms`));
      }, timeoutMs);
      this.pending.set(id, { target, method, resolve: resolve as (value: unknown) => void, reject, timer });
      this.inbox.send(target, { t: 'call', id, from: this.settings.nodeId, method, params }).catch((error: unknown) => {
        this.finish(id)?.reject(new OpsroomError('E_CLUSTER', `could not reach ${target} for ${method}: ${(error as Error).message}`, { cause: error }));
      });
    });
  }

  serve(method: string, handler: RpcHandler): Disposable {
    this.methods.set(method, handler);
    return disposable(() => { if (this.methods.get(method) === handler) this.methods.delete(method); });
  }

  stop(): void {
    clearInterval(this.checker);
    this.checker = undefined;
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    for (const id of [...this.pending.keys()]) this.finish(id)?.reject(new OpsroomError('E_SHUTTING_DOWN', 'opsroom is shutting down; the call was abandoned'));
  }

  private async answer(message: InboxMessage): Promise<void> {
    const { id, from, method, params } = message;
    if (typeof id !== 'string' || typeof from !== 'string' || typeof method !== 'string') {
      this.logger.warn({ message }, 'ignored a malformed cluster call');
      return;
    }
    const handler = this.methods.get(method);
    let reply: InboxMessage;
    try {
      if (!handler) throw new OpsroomError('E_CLUSTER', `${this.settings.nodeId} serves no ${method}`);
      reply = { t: 'answer', id, ok: true, value: (await handler(params, from)) ?? null };
    } catch (error) {
      reply = { t: 'answer', id, ok: false, error: toWire(error) };
    }
    await this.inbox.send(from, reply).catch((err: unknown) => {
      this.logger.error({ err, method, to: from }, 'could not send the answer to a cluster call');
    });
  }

  private settle(message: InboxMessage): void {
    const call = typeof message.id === 'string' ? this.finish(message.id) : undefined;
    if (!call) return;
    if (message.ok === true) call.resolve(message.value);
    else call.reject(fromWire(message.error));
  }

  private finish(id: string): PendingCall | undefined {
    const call = this.pending.get(id);
    if (!call) return undefined;
    this.pending.delete(id);
    clearTimeout(call.timer);
    return call;
  }

  private failCallsToTheDead(): void {
    for (const [id, call] of this.pending) {
      if (!this.presence.isAlive(call.target)) this.finish(id)?.reject(gone(call.target, call.method));
    }
  }
}

function gone(target: string, method: string): OpsroomError {
  return new OpsroomError('E_CLUSTER', `${target} has left the cluster, so it cannot ${method}`);
}
