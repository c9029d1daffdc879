import { request as httpRequest } from 'node:http';
import { WebSocket } from 'ws';

export interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json<T = Record<string, unknown>>(): T;
}

/** One HTTP request with full control of the headers (fetch will not let a test set Host). */
export function send(base: string, method: string, path: string, options: { headers?: Record<string, string>; body?: string } = {}): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = httpRequest(url, { method, headers: { ...(options.body !== undefined ? { 'content-length': Buffer.byteLength(options.body) } : {}), ...options.headers } }, (res) => {
      let text = '';
      res.setEncoding('utf8');
      res.on('data', (chunk: string) => { text += chunk; });
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T }));
    });
    req.on('error', reject);
    req.end(options.body);
  });
}

/** A logged-in API client: the session cookie, the CSRF token, the page's Origin, and who it speaks as. */
export class ConsoleClient {
  constructor(readonly base: string, readonly cookie: string, readonly csrf: string) {}

  static async login(base: string, loginUrl: string): Promise<ConsoleClient> {
    const answer = await send(base, 'GET', new URL(loginUrl).pathname + new URL(loginUrl).search);
    if (answer.status !== 303) throw new Error(`login answered ${answer.status}: ${answer.text}`);
    const cookie = String(answer.headers['set-cookie']).split(';')[0] as string;
    const session = await send(base, 'GET', '/api/session', { headers: { cookie } });
    return new ConsoleClient(base, cookie, session.json<{ csrfToken: string }>().csrfToken);
  }

  get(path: string, as?: string): Promise<Answer> {
    return send(this.base, 'GET', path, { headers: { cookie: this.cookie, ...(as ? { 'x-opsroom-as': as } : {}) } });
  }

  post(path: string, body: unknown, as?: string, headers: Record<string, string> = {}): Promise<Answer> {
    return send(this.base, 'POST', path, {
      body: JSON.stringify(body),
      headers: {
        cookie: this.cookie, origin: this.base, 'x-csrf-token': this.csrf, 'content-type': 'application/json',
        ...(as ? { 'x-opsroom-as': as } : {}), ...headers,
      },
    });
  }
}

export type SocketResult = { status: number } | { socket: WebSocket; first: Record<string, unknown> };

/** Opens the console socket; resolves with the refusal's status, or the socket and its first frame. */
export function openSocket(base: string, headers: Record<string, string>): Promise<SocketResult> {
  return new Promise((resolve, reject) => {
    const socket = new WebSocket(`${base.replace(/^http/, 'ws')}/ws`, { headers });
    socket.once('unexpected-response', (_req, res) => {
      resolve({ status: res.statusCode ?? 0 });
      res.resume();
      socket.terminate();
    });
    socket.once('message', (data) => resolve({ socket, first: JSON.parse(String(data)) as Record<string, unknown> }));
    socket.once('error', (err) => { if (!/Unexpected server response/.test(err.message)) reject(err); });
  });
}
