import { inject, injectable } from 'inversify';
import type { ChatAdapter } from '../core/chat-adapter.js';
import type { Disposable } from '../core/disposable.js';
import { OpsroomError } from '../core/errors.js';
import { PLATFORMS, type Platform } from '../core/identity.js';
import type { MessageRef, OutboundMessage } from '../core/message.js';
import { MessengerImpl, type Messenger } from '../routing/messenger.js';
import { ClusterSettings } from './cluster-settings.js';
import { NodePresence } from './node-presence.js';
import { NodeRpc } from './node-rpc.js';
import { RemotePlatform } from './remote-platform.js';
import { fromWireMessage, toWireMessage } from './wire-message.js';

type Operation = 'reply' | 'send' | 'update' | 'react';

/** One send, with the message as this process holds it (`OutboundMessage`) or as it travels (`unknown`, JSON). */
interface OutboundCall<M = OutboundMessage> {
  platform: Platform;
  op: Operation;
  ref?: MessageRef;
  channelId?: string;
  message?: M;
  emoji?: string;
}

const LOCAL = Symbol('local');
const CALL_TIMEOUT_MS = 60_000;

/**
 * Discord and Teams are reached from any gateway (their APIs are not tied to one connection); the local platform's
 * conversation lives in the one process whose terminal it is.
 */
function sharedConnection(platform: Platform): boolean {
  return platform !== 'local';
}

/**
 * The Messenger of a process in a cluster. What it sends goes through this process's own adapter when it has one
 * for the platform and the message is not another gateway's; otherwise through the gateway that holds the
 * conversation (`MessageRef.via`), or any gateway holding the platform, by a call over Redis.
 */
@injectable()
export class ClusterMessenger implements Messenger {
  private readonly local = new MessengerImpl();
  private readonly remote = new Map<Platform, RemotePlatform>();

  constructor(
    @inject(ClusterSettings) private readonly settings: ClusterSettings,
    @inject(NodePresence) private readonly presence: NodePresence,
    @inject(NodeRpc) private readonly rpc: NodeRpc,
  ) {}

  attach(adapter: ChatAdapter): Disposable {
    return this.local.attach(adapter);
  }

  onDidAttach(listener: (adapter: ChatAdapter) => void): Disposable {
    return this.local.onDidAttach(listener);
  }

  /** This process's adapters, and stand-ins for the platforms only other gateways hold. */
  adapters(): ChatAdapter[] {
    const own = this.local.adapters();
    const held = new Set(own.map((a) => a.platform));
    const others = PLATFORMS.filter((p) => !held.has(p) && this.presence.gatewaysFor(p).length > 0).map((p) => this.remoteFor(p));
    return [...own, ...others];
  }

  async reply(platform: Platform, to: MessageRef, message: OutboundMessage): Promise<MessageRef> {
    return sent(await this.perform({ platform, op: 'reply', ref: to, message }, to.via), platform);
  }

  async send(platform: Platform, channelId: string, message: OutboundMessage): Promise<MessageRef> {
    return sent(await this.perform({ platform, op: 'send', channelId, message }, undefined), platform);
  }

  async update(platform: Platform, ref: MessageRef, message: OutboundMessage): Promise<void> {
    await this.perform({ platform, op: 'update', ref, message }, ref.via);
  }

  async react(platform: Platform, ref: MessageRef, emoji: string): Promise<void> {
    await this.perform({ platform, op: 'react', ref, emoji }, ref.via);
  }

  /** Serves the other processes' sends with this process's adapters (on a gateway). */
  serve(): Disposable {
    return this.rpc.serve('messenger', async (params) => {
      const { message, ...call } = params as OutboundCall<unknown>;
      return (await this.locally({ ...call, ...(message === undefined ? {} : { message: fromWireMessage(message) }) })) ?? null;
    });
  }

  private async perform(call: OutboundCall, via: string | undefined): Promise<MessageRef | undefined> {
    const target = this.route(call.platform, via);
    if (target === LOCAL) {
      const ref = await this.locally(call);
      return ref && { ...ref, via: this.settings.nodeId };
    }
    const { message, ...rest } = call;
    const wire: OutboundCall<unknown> = { ...rest, ...(message === undefined ? {} : { message: toWireMessage(message) }) };
    const ref = await this.rpc.call<MessageRef | null>(target, 'messenger', wire, CALL_TIMEOUT_MS);
    return ref ? { ...ref, via: target } : undefined;
  }

  private async locally(call: OutboundCall): Promise<MessageRef | undefined> {
    const { platform } = call;
    const message = call.message as OutboundMessage;
    switch (call.op) {
      case 'reply': return this.local.reply(platform, call.ref as MessageRef, message);
      case 'send': return this.local.send(platform, call.channelId as string, message);
      case 'update': await this.local.update(platform, call.ref as MessageRef, message); return undefined;
      case 'react': await this.local.react(platform, call.ref as MessageRef, call.emoji as string); return undefined;
      default: throw new OpsroomError('E_CLUSTER', `unknown messenger operation ${String(call.op)}`);
    }
  }

  private route(platform: Platform, via: string | undefined): typeof LOCAL | string {
    const self = this.settings.nodeId;
    const ownAdapter = this.local.adapters().some((a) => a.platform === platform);
    if (via !== undefined && via !== self) {
      if (this.presence.isAlive(via)) return via;
      if (!sharedConnection(platform)) {
        throw new OpsroomError('E_CLUSTER', `the opsroom gateway ${via} that holds this ${platform} conversation has stopped, so nothing more can be sent there`);
      }
    }
    if (ownAdapter) return LOCAL;
    const gateway = this.presence.gatewaysFor(platform)[0];
    if (!gateway) throw new OpsroomError('E_INTERNAL', `no adapter for ${platform} is running on any opsroom gateway`);
    return gateway.id;
  }

  private remoteFor(platform: Platform): RemotePlatform {
    let remote = this.remote.get(platform);
    if (!remote) {
      remote = new RemotePlatform(platform, this);
      this.remote.set(platform, remote);
    }
    return remote;
  }
}

function sent(ref: MessageRef | undefined, platform: Platform): MessageRef {
  if (!ref) throw new OpsroomError('E_CLUSTER', `the ${platform} gateway sent the message but answered without where it went`);
  return ref;
}
