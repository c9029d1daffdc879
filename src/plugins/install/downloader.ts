import { readFileSync } from 'node:fs';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { rootCertificates } from 'node:tls';
import { inject, injectable } from 'inversify';
import type { OpsroomConfig } from '../../config/config-schema.js';
import { OpsroomConfigToken } from '../../config/load-config.js';
import { ConfigError, UserError } from '../../core/errors.js';

const MAX_REDIRECTS = 5;
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

export interface DownloadRequest {
  url: string;
  /** Refused above this many bytes, announced or received. */
  maxBytes: number;
  accept?: string;
  /** Plain http to this machine (a local registry mirror); everything else must be https. */
  allowLoopbackHttp?: boolean;
  /** What is being fetched, for messages: "the tarball", "the packument of left-pad". */
  what: string;
}

/** Fetches plugin packages and registry documents over https, with a size cap, a deadline and bounded redirects. */
export const Downloader = Symbol('Downloader');
export interface Downloader {
  get(request: DownloadRequest): Promise<Buffer>;
}

function failure(request: DownloadRequest, url: string, why: string): UserError {
  return new UserError('E_INSTALL', `downloading ${request.what} from ${url} failed: ${why}`);
}

@injectable()
export class DownloaderImpl implements Downloader {
  private readonly ca: string[] | undefined;
  private readonly timeoutMs: number;

  constructor(@inject(OpsroomConfigToken) config: OpsroomConfig) {
    const { caFile, timeoutMs } = config.plugins.install;
    this.timeoutMs = timeoutMs;
    if (caFile === undefined) return;
    try {
      this.ca = [...rootCertificates, readFileSync(caFile, 'utf8')];
    } catch (error) {
      throw new ConfigError('plugins.install.caFile cannot be read', [`plugins.install.caFile: ${caFile}: ${(error as Error).message}`]);
    }
  }

  async get(request: DownloadRequest): Promise<Buffer> {
    const deadline = Date.now() + this.timeoutMs;
    let url = request.url;
    for (let hop = 0; hop <= MAX_REDIRECTS; hop++) {
      this.checkUrl(request, url);
      const response = await this.open(request, url, deadline);
      const location = response.headers.location;
      if ([301, 302, 303, 307, 308].includes(response.statusCode ?? 0) && location) {
        response.resume();
        url = new URL(location, url).toString();
        continue;
      }
      if (response.statusCode !== 200) {
        response.resume();
        throw failure(request, url, `the server answered ${response.statusCode ?? '?'} ${response.statusMessage ?? ''}`.trim());
      }
      return this.read(request, url, response, deadline);
    }
    throw failure(request, request.url, `more than ${MAX_REDIRECTS} redirects`);
  }

  private checkUrl(request: DownloadRequest, url: string): void {
    const parsed = new URL(url);
    if (parsed.protocol === 'https:') return;
    if (parsed.protocol === 'http:' && request.allowLoopbackHttp && LOOPBACK.has(parsed.hostname)) return;
    throw failure(request, url, `only https is allowed${request.allowLoopbackHttp ? ' (plain http only to this machine)' : ''}`);
  }

  private open(request: DownloadRequest, url: string, deadline: number): Promise<IncomingMessage> {
    return new Promise((resolve, reject) => {
      const parsed = new URL(url);
      const send = parsed.protocol === 'https:' ? httpsRequest : httpRequest;
      const req = send(parsed, {
        method: 'GET',
        headers: { accept: request.accept ?? '*/*', 'user-agent': 'opsroom-plugin-installer' },
        ...(parsed.protocol === 'https:' && this.ca ? { ca: this.ca } : {}),
        timeout: Math.max(1, deadline - Date.now()),
      });
      req.on('timeout', () => req.destroy(failure(request, url, `no answer within ${this.timeoutMs} ms`)));
      req.on('error', (error) => reject(error instanceof UserError ? error : failure(request, url, error.message)));
      req.on('response', resolve);
      req.end();
    });
  }

  private async read(request: DownloadRequest, url: string, response: IncomingMessage, deadline: number): Promise<Buffer> {
    const announced = Number(response.headers['content-length']);
    if (Number.isFinite(announced) && announced > request.maxBytes) {
      response.destroy();
      throw failure(request, url, `it is ${Math.ceil(announced / 1024)} KiB, over the ${Math.floor(request.maxBytes / 1024)} KiB limit (plugins.install.maxDownloadKb)`);
    }
    const timer = setTimeout(() => response.destroy(failure(request, url, `not complete within ${this.timeoutMs} ms`)), Math.max(1, deadline - Date.now()));
    try {
      const chunks: Buffer[] = [];
      let total = 0;
      for await (const chunk of response) {
        total += (chunk as Buffer).length;
        if (total > request.maxBytes) {
          response.destroy();
          throw failure(request, url, `it is over the ${Math.floor(request.maxBytes / 1024)} KiB limit (plugins.install.maxDownloadKb)`);
        }
        chunks.push(chunk as Buffer);
      }
      return Buffer.concat(chunks, total);
    } catch (error) {
      throw error instanceof UserError ? error : failure(request, url, (error as Error).message);
    } finally {
      clearTimeout(timer);
    }
  }
}
