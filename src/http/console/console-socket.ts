import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { inject, injectable } from 'inversify';
import { WebSocket, WebSocketServer } from 'ws';
import type { Disposable } from '../../core/disposable.js';
import { LocalChatHub, type LocalChatChange } from '../../core/local-chat-hub.js';
import { Logger } from '../../core/logger.js';
import { ConsoleSessions } from './console-sessions.js';

const HEARTBEAT_MS = 30_000;
/** A page that cannot keep up is dropped; it reconnects and starts from a fresh snapshot. */
const MAX_BUFFERED_BYTES = 4 * 1024 * 1024;
/** Close codes the page understands: the session is gone (log in again), or opsroom is stopping (retry later). */
export const CLOSE_SESSION_ENDED = 4401;
export const CLOSE_GOING_AWAY = 1001;

interface Client { socket: WebSocket; sessionKey: string; alive: boolean }

/**
 * Live updates for the pages: on connect a snapshot of the recent conversation, then every message and every change
 * (an edit, a reaction) as it happens. The pages say nothing over it; what they do goes through the JSON API.
 */
export const ConsoleSocket = Symbol('ConsoleSocket');
export interface ConsoleSocket {
  /** Completes an upgrade the console has already checked (session, Host, Origin). */
  accept(req: IncomingMessage, socket: Duplex, head: Buffer, sessionKey: string): void;
  clients(): number;
  close(): void;
}

@injectable()
export class ConsoleSocketImpl implements ConsoleSocket {
  private readonly server = new WebSocketServer({ noServer: true, maxPayload: 1024, clientTracking: false });
  private readonly connected = new Set<Client>();
  private readonly subscriptions: Disposable[] = [];
  private heartbeat: NodeJS.Timeout | undefined;
  private readonly logger: Logger;

  constructor(
    @inject(LocalChatHub) private readonly hub: LocalChatHub,
    @inject(ConsoleSessions) private readonly sessions: ConsoleSessions,
    @inject(Logger) logger: Logger,
  ) {
    this.logger = logger.child({ component: 'console' });
    this.subscriptions.push(
      hub.onDidChange((change) => this.broadcast(change)),
      sessions.onDidEnd((key) => this.endSession(key)),
    );
  }

  accept(req: IncomingMessage, socket: Duplex, head: Buffer, sessionKey: string): void {
    this.server.handleUpgrade(req, socket, head, (ws) => this.attach(ws, sessionKey));
  }

  clients(): number {
    return this.connected.size;
  }

  close(): void {
    for (const subscription of this.subscriptions.splice(0)) subscription.dispose();
    clearInterval(this.heartbeat);
    this.heartbeat = undefined;
    for (const client of this.connected) client.socket.close(CLOSE_GOING_AWAY, 'opsroom is stopping');
    for (const client of this.connected) client.socket.terminate();
    this.connected.clear();
    this.server.close();
  }

  private attach(socket: WebSocket, sessionKey: string): void {
    const client: Client = { socket, sessionKey, alive: true };
    this.connected.add(client);
    socket.on('pong', () => { client.alive = true; });
    socket.on('close', () => this.connected.delete(client));
    socket.on('error', (err) => this.logger.debug({ err }, 'console socket failed'));
    socket.on('message', () => socket.close(1003, 'this socket only sends; use the JSON API'));
    this.heartbeat ??= setInterval(() => this.beat(), HEARTBEAT_MS).unref();
    this.sendTo(client, { type: 'snapshot', channels: this.hub.channels(), entries: this.hub.history() });
  }

  private broadcast(change: LocalChatChange): void {
    const frame = JSON.stringify({ type: change.kind, entry: change.entry });
    for (const client of this.connected) this.sendRaw(client, frame);
  }

  private sendTo(client: Client, value: unknown): void {
    this.sendRaw(client, JSON.stringify(value));
  }

  private sendRaw(client: Client, frame: string): void {
    if (client.socket.readyState !== WebSocket.OPEN) return;
    if (client.socket.bufferedAmount > MAX_BUFFERED_BYTES) {
      this.logger.warn('a console page fell too far behind and was disconnected');
      client.socket.terminate();
      return;
    }
    client.socket.send(frame);
  }

  private endSession(key: string): void {
    for (const client of this.connected) if (client.sessionKey === key) client.socket.close(CLOSE_SESSION_ENDED, 'the session ended; log in again');
  }

  /** Drops pages that stopped answering, and keeps the sessions of open pages from going idle. */
  private beat(): void {
    for (const client of this.connected) {
      if (!client.alive || !this.sessions.touch(client.sessionKey)) {
        client.socket.terminate();
        continue;
      }
      client.alive = false;
      client.socket.ping();
    }
  }
}
