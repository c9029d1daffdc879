import { createServer, type IncomingHttpHeaders, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { onTestFinished } from 'vitest';

/** A request exactly as the server saw it. */
export interface SeenRequest {
  method: string;
  url: string;
  headers: IncomingHttpHeaders;
  body: string;
  /** The address the client connected to. */
  localAddress: string;
}

export type Handler = (req: IncomingMessage, res: ServerResponse, seen: SeenRequest) => void;

export interface LoopbackServer {
  host: string;
  port: number;
  /** `http://host:port` */
  origin: string;
  requests: SeenRequest[];
  /** Resolves when a response stream was closed before it finished (the client gave up). */
  abandoned: Promise<void>;
}

/** A real node:http server on a loopback address and a free port, closed when the test finishes. */
export async function startServer(handler: Handler, host = '127.0.0.1'): Promise<LoopbackServer> {
  const requests: SeenRequest[] = [];
  let markAbandoned: () => void = () => undefined;
  const abandoned = new Promise<void>((resolve) => {
    markAbandoned = resolve;
  });
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (chunk: Buffer) => chunks.push(chunk));
    req.on('end', () => {
      const seen: SeenRequest = {
        method: req.method ?? '', url: req.url ?? '', headers: req.headers,
        body: Buffer.concat(chunks).toString('utf8'), localAddress: req.socket.localAddress ?? '',
      };
      requests.push(seen);
      res.on('close', () => {
        if (!res.writableFinished) markAbandoned();
      });
      handler(req, res, seen);
    });
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(0, host, () => resolve());
  });
  onTestFinished(async () => {
    server.closeAllConnections();
    await new Promise<void>((resolve) => server.close(() => resolve()));
  });
  const { port } = server.address() as AddressInfo;
  return { host, port, origin: `http://${host}:${port}`, requests, abandoned };
}

/** Answers every request with a JSON echo of what the server saw. */
export const echo: Handler = (_req, res, seen) => {
  res.writeHead(200, { 'content-type': 'application/json', 'x-served-by': 'loopback' });
  res.end(JSON.stringify(seen));
};
