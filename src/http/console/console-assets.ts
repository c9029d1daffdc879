import { readFile } from 'node:fs/promises';
import { existsSync } from 'node:fs';
import { extname, join, resolve, sep } from 'node:path';
import type { ServerResponse } from 'node:http';
import { SECURITY_HEADERS, notice, sendError, sendHtml } from './http-io.js';

const TYPES: Record<string, string> = {
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.woff2': 'font/woff2',
  '.json': 'application/json; charset=utf-8',
  '.map': 'application/json; charset=utf-8',
};

const SAFE_PATH = /^[A-Za-z0-9_-][A-Za-z0-9._-]*(\/[A-Za-z0-9_-][A-Za-z0-9._-]*)*$/;

/** The built front end in dist/console: index.html for `/`, hashed files for `/assets/*`. */
export class ConsoleAssets {
  constructor(private readonly distDir: string) {}

  built(): boolean {
    return existsSync(join(this.distDir, 'index.html'));
  }

  async page(res: ServerResponse): Promise<void> {
    if (!this.built()) {
      sendHtml(res, 503, notice('The web console is not built', 'Run `npm run build:console` in the opsroom folder (`npm start` and `npm install` do it), then reload.'));
      return;
    }
    sendHtml(res, 200, await readFile(join(this.distDir, 'index.html'), 'utf8'));
  }

  async asset(res: ServerResponse, rest: string): Promise<void> {
    const root = resolve(this.distDir, 'assets');
    const path = resolve(root, rest);
    const type = TYPES[extname(rest)];
    if (!SAFE_PATH.test(rest) || !path.startsWith(root + sep) || !type) {
      sendError(res, 404, 'E_NOT_FOUND', `there is no console asset ${rest.slice(0, 100)}`);
      return;
    }
    let body: Buffer;
    try {
      body = await readFile(path);
    } catch {
      sendError(res, 404, 'E_NOT_FOUND', `there is no console asset ${rest}`);
      return;
    }
    // Vite names assets by content hash, so one never changes under its name.
    res.writeHead(200, { ...SECURITY_HEADERS, 'content-type': type, 'content-length': body.length, 'cache-control': 'private, max-age=31536000, immutable' });
    res.end(body);
  }
}
