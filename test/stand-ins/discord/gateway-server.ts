import { randomBytes } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import {
  GatewayCloseCodes, GatewayDispatchEvents, GatewayOpcodes,
  type GatewayDispatchPayload, type GatewayGuildCreateDispatchData, type GatewayHello, type GatewayIdentifyData,
  type GatewayReadyDispatchData, type GatewayRequestGuildMembersData, type GatewayResumeData,
} from 'discord-api-types/v10';
import { WebSocket, WebSocketServer, type RawData } from 'ws';

/** Something that happened on the gateway, for assertions. */
export interface GatewayEvent {
  kind: 'connected' | 'identify' | 'resume' | 'resumed' | 'invalid-session' | 'heartbeat' | 'closed' | 'request-members' | 'presence';
  sessionId?: string;
  shardId?: number;
  /** Close code for `closed`; the sequence the client asked to resume from for `resume`. */
  code?: number;
  seq?: number;
  at: number;
}

/** What the gateway asks of the rest of the stand-in. */
export interface GatewayWorld {
  token: string;
  heartbeatIntervalMs: number;
  /** The gateway URL, handed out as `resume_gateway_url` too. */
  url(): string;
  ready(shard: [number, number], sessionId: string, resumeUrl: string): GatewayReadyDispatchData;
  guildCreates(shard: [number, number]): GatewayGuildCreateDispatchData[];
  membersChunk(request: GatewayRequestGuildMembersData): GatewayDispatchPayload | undefined;
}

interface Session {
  id: string;
  shard: [number, number];
  seq: number;
  /** Every dispatch of the session, oldest first (bounded), replayed after a RESUME. */
  log: Array<{ s: number; frame: string }>;
  socket: WebSocket | undefined;
}

const LOG_LIMIT = 2_000;
/** Close codes with which a client ends its session for good; any other close leaves it resumable. */
const FINAL_CLOSES = new Set([1000, 1001]);

/** The gateway WebSocket: HELLO, IDENTIFY/READY/GUILD_CREATE, heartbeats, RESUME with replay, op 7, forced drops. */
export class GatewayServer {
  readonly events: GatewayEvent[] = [];
  private readonly wss = new WebSocketServer({ noServer: true });
  private readonly sessions = new Map<string, Session>();
  private readonly listeners = new Set<(event: GatewayEvent) => void>();

  constructor(private readonly world: GatewayWorld) {}

  handleUpgrade(request: IncomingMessage, socket: Duplex, head: Buffer): void {
    this.wss.handleUpgrade(request, socket, head, (ws) => this.accept(ws));
  }

  /** Sends a dispatch to the session of a shard (buffered while it is disconnected); returns its sequence number. */
  dispatch<P extends GatewayDispatchPayload>(t: P['t'], d: P['d'], shardId = 0): number | undefined {
    return this.dispatchUnchecked(t, d, shardId);
  }

  /** Like `dispatch`, for payloads that do not (or on purpose do not) match Discord's types. */
  dispatchUnchecked(t: string, d: unknown, shardId = 0): number | undefined {
    const session = this.liveSession(shardId);
    if (!session) return undefined;
    const s = ++session.seq;
    const frame = JSON.stringify({ op: GatewayOpcodes.Dispatch, t, s, d });
    session.log.push({ s, frame });
    if (session.log.length > LOG_LIMIT) session.log.shift();
    if (session.socket?.readyState === WebSocket.OPEN) session.socket.send(frame);
    return s;
  }

  /** Closes every connection with a resumable code (4000 by default): the client is expected to RESUME. */
  drop(code: number = GatewayCloseCodes.UnknownError): void {
    for (const session of this.sessions.values()) {
      session.socket?.close(code, 'stand-in dropped the connection');
      session.socket = undefined;
    }
  }

  /** Sends op 7 (Reconnect) on every connection. */
  requestReconnect(): void {
    for (const session of this.sessions.values()) this.send(session.socket, { op: GatewayOpcodes.Reconnect, d: null });
  }

  /** Shards with a session (connected, or dropped and resumable). */
  shardIds(): number[] {
    return [...new Set([...this.sessions.values()].map((s) => s.shard[0]))].sort();
  }

  connectedCount(): number {
    return [...this.sessions.values()].filter((s) => s.socket?.readyState === WebSocket.OPEN).length;
  }

  onEvent(listener: (event: GatewayEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  async close(): Promise<void> {
    for (const client of this.wss.clients) client.terminate();
    this.sessions.clear();
    await new Promise<void>((resolve) => this.wss.close(() => resolve()));
  }

  private accept(ws: WebSocket): void {
    const connection: { session: Session | undefined } = { session: undefined };
    this.record({ kind: 'connected' });
    const hello: GatewayHello = { op: GatewayOpcodes.Hello, s: null, t: null, d: { heartbeat_interval: this.world.heartbeatIntervalMs } };
    this.send(ws, hello);
    ws.on('message', (data, isBinary) => this.receive(ws, connection, data, isBinary));
    ws.on('close', (code) => this.closed(ws, connection.session, code));
    ws.on('error', () => ws.terminate());
  }

  private receive(ws: WebSocket, connection: { session: Session | undefined }, data: RawData, isBinary: boolean): void {
    const payload = isBinary ? undefined : parseFrame(data);
    if (!payload) return ws.close(GatewayCloseCodes.DecodeError, 'Error while decoding payload.');
    switch (payload.op) {
      case GatewayOpcodes.Heartbeat:
        this.record({ kind: 'heartbeat', sessionId: connection.session?.id });
        return this.send(ws, { op: GatewayOpcodes.HeartbeatAck });
      case GatewayOpcodes.Identify:
        return this.identify(ws, connection, payload.d as GatewayIdentifyData);
      case GatewayOpcodes.Resume:
        return this.resume(ws, connection, payload.d as GatewayResumeData);
      case GatewayOpcodes.RequestGuildMembers:
        return this.requestMembers(ws, connection.session, payload.d as GatewayRequestGuildMembersData);
      case GatewayOpcodes.PresenceUpdate:
        return connection.session ? this.record({ kind: 'presence', sessionId: connection.session.id }) : this.notAuthenticated(ws);
      default:
        return ws.close(GatewayCloseCodes.UnknownOpcode, `Unknown opcode ${String(payload.op)}.`);
    }
  }

  private identify(ws: WebSocket, connection: { session: Session | undefined }, data: GatewayIdentifyData): void {
    if (connection.session) return ws.close(GatewayCloseCodes.AlreadyAuthenticated, 'Already authenticated.');
    if (data?.token !== this.world.token) return ws.close(GatewayCloseCodes.AuthenticationFailed, 'Authentication failed.');
    const shard = data.shard ?? [0, 1];
    if (!validShard(shard)) return ws.close(GatewayCloseCodes.InvalidShard, 'Invalid shard.');
    for (const [id, old] of this.sessions) if (old.shard[0] === shard[0]) this.sessions.delete(id);
    const session: Session = { id: randomBytes(16).toString('hex'), shard, seq: 0, log: [], socket: ws };
    this.sessions.set(session.id, session);
    connection.session = session;
    this.record({ kind: 'identify', sessionId: session.id, shardId: shard[0] });
    this.dispatch(GatewayDispatchEvents.Ready, this.world.ready(shard, session.id, this.world.url()), shard[0]);
    for (const guild of this.world.guildCreates(shard)) this.dispatch(GatewayDispatchEvents.GuildCreate, guild, shard[0]);
  }

  private resume(ws: WebSocket, connection: { session: Session | undefined }, data: GatewayResumeData): void {
    const session = data ? this.sessions.get(data.session_id) : undefined;
    this.record({ kind: 'resume', sessionId: data?.session_id, seq: data?.seq, shardId: session?.shard[0] });
    const oldest = session?.log[0]?.s ?? 1;
    if (!session || data.token !== this.world.token || data.seq > session.seq || data.seq < oldest - 1) {
      this.record({ kind: 'invalid-session', sessionId: data?.session_id });
      return this.send(ws, { op: GatewayOpcodes.InvalidSession, d: false });
    }
    session.socket?.terminate();
    session.socket = ws;
    connection.session = session;
    for (const entry of session.log) if (entry.s > data.seq) ws.send(entry.frame);
    // Discord's RESUMED carries a debugging `_trace`; the types say `undefined`, so it goes unchecked.
    this.dispatchUnchecked(GatewayDispatchEvents.Resumed, { _trace: ['stand-in'] }, session.shard[0]);
    this.record({ kind: 'resumed', sessionId: session.id, shardId: session.shard[0] });
  }

  private requestMembers(ws: WebSocket, session: Session | undefined, data: GatewayRequestGuildMembersData): void {
    if (!session) return this.notAuthenticated(ws);
    this.record({ kind: 'request-members', sessionId: session.id });
    const chunk = this.world.membersChunk(data);
    if (chunk) this.dispatch(chunk.t, chunk.d, session.shard[0]);
  }

  private closed(ws: WebSocket, session: Session | undefined, code: number): void {
    this.record({ kind: 'closed', sessionId: session?.id, code });
    if (!session || session.socket !== ws) return;
    session.socket = undefined;
    if (FINAL_CLOSES.has(code)) this.sessions.delete(session.id);
  }

  private notAuthenticated(ws: WebSocket): void {
    ws.close(GatewayCloseCodes.NotAuthenticated, 'Not authenticated.');
  }

  private liveSession(shardId: number): Session | undefined {
    for (const session of this.sessions.values()) if (session.shard[0] === shardId) return session;
    return undefined;
  }

  private send(ws: WebSocket | undefined, payload: unknown): void {
    if (ws?.readyState === WebSocket.OPEN) ws.send(JSON.stringify(payload));
  }

  private record(event: Omit<GatewayEvent, 'at'>): void {
    const full = { ...event, at: Date.now() };
    this.events.push(full);
    for (const listener of this.listeners) listener(full);
  }
}

function parseFrame(data: RawData): { op: number; d: unknown } | undefined {
  try {
    const value: unknown = JSON.parse(data.toString());
    return typeof value === 'object' && value !== null && typeof (value as { op?: unknown }).op === 'number'
      ? value as { op: number; d: unknown } : undefined;
  } catch {
    return undefined;
  }
}

function validShard(shard: unknown): shard is [number, number] {
  return Array.isArray(shard) && shard.length === 2 && Number.isInteger(shard[0]) && Number.isInteger(shard[1])
    && shard[0] >= 0 && shard[1] >= 1 && shard[0] < shard[1];
}
