import { createHash, randomBytes, timingSafeEqual } from 'node:crypto';
import { inject, injectable } from 'inversify';
import { Clock } from '../../core/clock.js';
import { disposable, type Disposable } from '../../core/disposable.js';
import { ConsoleSettings } from './console-settings.js';

/** A logged-in browser. Only hashes of the cookie value are kept, so a memory dump holds no usable session. */
export interface ConsoleSession {
  /** sha256 of the cookie value, hex; the key of the session and of its sockets. */
  key: string;
  /** Sent back in `x-csrf-token` on every state-changing request. */
  csrfToken: string;
  createdAt: Date;
  lastSeenAt: Date;
}

/** Why a login link did not log in. */
export type RedeemResult = { ok: true; cookie: string; session: ConsoleSession } | { ok: false; reason: string };

/** One-time login links and the sessions they open; in memory, so a restart logs everybody out. */
export const ConsoleSessions = Symbol('ConsoleSessions');
export interface ConsoleSessions {
  /** A new one-time login token, valid until used or `loginLinkMinutes` pass. */
  issueLoginToken(): string;
  /** Spends a login token on a new session; the cookie value is returned once and never stored. */
  redeem(token: string): RedeemResult;
  /** The live session of a cookie value, touched; undefined when unknown or idle too long. */
  find(cookie: string): ConsoleSession | undefined;
  /** True when `token` is the session's CSRF token (compared in constant time). */
  csrfMatches(session: ConsoleSession, token: string | undefined): boolean;
  /** Keeps a session with an open page alive; false when it has ended. */
  touch(key: string): boolean;
  end(key: string): void;
  /** Called with the key of every session that ends (logout or idle), so its sockets can be closed. */
  onDidEnd(listener: (key: string) => void): Disposable;
}

const TOKEN_BYTES = 32;

function secret(): string {
  return randomBytes(TOKEN_BYTES).toString('base64url');
}

function hash(value: string): string {
  return createHash('sha256').update(value).digest('hex');
}

@injectable()
export class ConsoleSessionsImpl implements ConsoleSessions {
  /** Login token hash -> when it stops working. */
  private readonly tokens = new Map<string, number>();
  private readonly sessions = new Map<string, ConsoleSession>();
  private readonly listeners = new Set<(key: string) => void>();

  constructor(
    @inject(ConsoleSettings) private readonly settings: ConsoleSettings,
    @inject(Clock) private readonly clock: Clock,
  ) {}

  issueLoginToken(): string {
    this.sweep();
    const token = secret();
    this.tokens.set(hash(token), this.now() + this.settings.loginLinkMinutes * 60_000);
    return token;
  }

  redeem(token: string): RedeemResult {
    this.sweep();
    const key = hash(token);
    const until = this.tokens.get(key);
    if (until === undefined) {
      return { ok: false, reason: 'this login link is unknown, was already used, or expired; each link logs in one browser once' };
    }
    this.tokens.delete(key);
    const cookie = secret();
    const at = this.clock.now();
    const session: ConsoleSession = { key: hash(cookie), csrfToken: secret(), createdAt: at, lastSeenAt: at };
    this.sessions.set(session.key, session);
    return { ok: true, cookie, session };
  }

  find(cookie: string): ConsoleSession | undefined {
    const key = hash(cookie);
    const session = this.sessions.get(key);
    if (!session) return undefined;
    if (this.idle(session)) {
      this.end(key);
      return undefined;
    }
    session.lastSeenAt = this.clock.now();
    return session;
  }

  csrfMatches(session: ConsoleSession, token: string | undefined): boolean {
    if (token === undefined) return false;
    const given = Buffer.from(token);
    const wanted = Buffer.from(session.csrfToken);
    return given.length === wanted.length && timingSafeEqual(given, wanted);
  }

  touch(key: string): boolean {
    const session = this.sessions.get(key);
    if (!session || this.idle(session)) {
      this.end(key);
      return false;
    }
    session.lastSeenAt = this.clock.now();
    return true;
  }

  end(key: string): void {
    if (!this.sessions.delete(key)) return;
    for (const listener of this.listeners) listener(key);
  }

  onDidEnd(listener: (key: string) => void): Disposable {
    this.listeners.add(listener);
    return disposable(() => this.listeners.delete(listener));
  }

  private idle(session: ConsoleSession): boolean {
    return this.now() - session.lastSeenAt.getTime() > this.settings.sessionIdleMinutes * 60_000;
  }

  private sweep(): void {
    const now = this.now();
    for (const [key, until] of this.tokens) if (until <= now) this.tokens.delete(key);
    for (const session of [...this.sessions.values()]) if (this.idle(session)) this.end(session.key);
  }

  private now(): number {
    return this.clock.now().getTime();
  }
}
