import { disposable, type Disposable } from '../../src/core/disposable.js';
import type { Platform } from '../../src/core/identity.js';
import type { NodePresence, NodeRecord } from '../../src/cluster/node-presence.js';
import type { NodeRpc, RpcHandler } from '../../src/cluster/node-rpc.js';
import type { ClusterBus, ClusterEventHandler } from '../../src/cluster/cluster-bus.js';
import type { ClusterEvent, ClusterEventKind } from '../../src/cluster/cluster-events.js';

/** A cluster view set by the test: which processes are alive and which platforms they hold. */
export class FakePresence implements NodePresence {
  readonly self: NodeRecord;
  private readonly others = new Map<string, NodeRecord>();

  constructor(selfId: string, platforms: Platform[] = []) {
    this.self = record(selfId, platforms, platforms.length > 0);
  }

  /** Another live process; a gateway when it holds platforms. */
  add(id: string, platforms: Platform[] = []): void {
    this.others.set(id, record(id, platforms, platforms.length > 0));
  }

  remove(id: string): void {
    this.others.delete(id);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  async announce(platforms: Platform[]): Promise<void> {
    this.self.platforms = platforms;
  }

  isAlive(nodeId: string): boolean {
    return nodeId === this.self.id || this.others.has(nodeId);
  }

  async checkAlive(nodeIds: readonly string[]): Promise<Set<string>> {
    return new Set(nodeIds.filter((id) => this.isAlive(id)));
  }

  gatewaysFor(platform: Platform): NodeRecord[] {
    return this.nodes().filter((n) => n.gateway && n.platforms.includes(platform)).sort((a, b) => Number(b.id === this.self.id) - Number(a.id === this.self.id) || a.id.localeCompare(b.id));
  }

  nodes(): NodeRecord[] {
    return [this.self, ...this.others.values()];
  }
}

function record(id: string, platforms: Platform[], gateway: boolean): NodeRecord {
  return { id, role: gateway ? 'gateway' : 'worker', host: 'test', pid: 0, platforms, gateway, worker: !gateway, startedAt: new Date(0).toISOString() };
}

export interface RecordedCall {
  target: string;
  method: string;
  params: unknown;
}

/** Calls to other processes, recorded and answered by `answer` (by default with a message ref of the target's). */
export class FakeRpc implements NodeRpc {
  readonly calls: RecordedCall[] = [];
  answer: (call: RecordedCall) => unknown = (call) => ({ channelId: 'local:channel:ops', messageId: `${call.target}-m${this.calls.length}` });
  readonly served = new Map<string, RpcHandler>();

  start(): void {}
  stop(): void {}

  async call<T>(target: string, method: string, params: unknown): Promise<T> {
    const call = { target, method, params: JSON.parse(JSON.stringify(params)) as unknown };
    this.calls.push(call);
    return this.answer(call) as T;
  }

  serve(method: string, handler: RpcHandler): Disposable {
    this.served.set(method, handler);
    return disposable(() => this.served.delete(method));
  }
}

/** The cross-instance events of one process, in memory: what it published, and `deliver` for what others publish. */
export class FakeBus implements ClusterBus {
  readonly published: ClusterEvent[] = [];
  private readonly handlers = new Map<string, Set<(event: never, from: string) => unknown>>();

  async publish(event: ClusterEvent): Promise<void> {
    this.published.push(event);
  }

  on<K extends ClusterEventKind>(kind: K, handler: ClusterEventHandler<K>): Disposable {
    const set = this.handlers.get(kind) ?? new Set();
    this.handlers.set(kind, set);
    set.add(handler as (event: never, from: string) => unknown);
    return disposable(() => set.delete(handler as (event: never, from: string) => unknown));
  }

  onDidResubscribe(): Disposable {
    return disposable(() => undefined);
  }

  async start(): Promise<void> {}
  async stop(): Promise<void> {}

  /** An event another process published. */
  async deliver(event: ClusterEvent, from = 'other-node'): Promise<void> {
    for (const handler of this.handlers.get(event.kind) ?? []) await handler(event as never, from);
  }
}
