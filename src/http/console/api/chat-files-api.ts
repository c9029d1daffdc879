import { pipeline } from 'node:stream/promises';
import { inject, injectable } from 'inversify';
import { LocalChatHub, type LocalChatFile } from '../../../core/local-chat-hub.js';
import type { ConsoleApi, ConsoleRequest, ConsoleRoute } from '../console-route.js';
import { ConsoleHttpError, SECURITY_HEADERS } from '../http-io.js';

/** Pictures a browser shows in an `<img>` and cannot run anything in; anything else (SVG, HTML) is only downloaded. */
const INLINE_TYPES = new Set(['image/png', 'image/jpeg', 'image/gif', 'image/webp']);

/**
 * A message's file is fixed once saved (a rewrite of the message changes the page's URL for it), so a browser may
 * keep it a while, but only for this session: `private`.
 */
const CACHE_CONTROL = 'private, max-age=3600';

/** Even if a file were opened as a page of its own, nothing in it may run or load (GitHub's rule for raw user content). */
const FILE_CSP = "default-src 'none'; img-src 'self'; style-src 'unsafe-inline'; sandbox";

/**
 * The files the bot sent with local messages (a report's chart), for the web page to show: looked up by message id and
 * index among the files the local platform saved for that message, never by a path from the request.
 */
@injectable()
export class ChatFilesApi implements ConsoleApi {
  constructor(@inject(LocalChatHub) private readonly hub: LocalChatHub) {}

  routes(): ConsoleRoute[] {
    return [{ method: 'GET', path: '/api/chat/messages/:id/files/:index', handle: (r) => this.file(r) }];
  }

  private async file(request: ConsoleRequest): Promise<void> {
    const { id = '', index = '' } = request.params;
    if (id.length > 100) throw new ConsoleHttpError(404, 'E_NOT_FOUND', 'there is no message with an id that long');
    if (!/^\d{1,4}$/.test(index)) throw new ConsoleHttpError(404, 'E_NOT_FOUND', `"${index.slice(0, 20)}" is not a file number; files are numbered 0, 1, 2, ...`);
    const content = await this.hub.openFile(id, Number(index));
    request.res.writeHead(200, { ...SECURITY_HEADERS, ...fileHeaders(content.file), 'content-length': content.size });
    await pipeline(content.stream, request.res);
  }
}

function fileHeaders(file: LocalChatFile): Record<string, string> {
  const inline = INLINE_TYPES.has(file.contentType.toLowerCase());
  return {
    'content-type': inline ? file.contentType.toLowerCase() : 'application/octet-stream',
    'content-disposition': contentDisposition(inline ? 'inline' : 'attachment', file.name),
    'content-security-policy': FILE_CSP,
    'x-content-type-options': 'nosniff',
    'cache-control': CACHE_CONTROL,
  };
}

/** RFC 6266: a plain ASCII `filename` every browser reads, and the exact name in `filename*` for those that can. */
export function contentDisposition(kind: 'inline' | 'attachment', name: string): string {
  const ascii = name.replace(/[^A-Za-z0-9._-]/g, '_').replace(/^\.+/, '') || 'file';
  const exact = encodeURIComponent(name).replace(/['()*]/g, (c) => `%${c.charCodeAt(0).toString(16).toUpperCase()}`);
  return `${kind}; filename="${ascii}"; filename*=UTF-8''${exact}`;
}
