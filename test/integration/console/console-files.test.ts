import { readFileSync, rmSync } from 'node:fs';
import { request as httpRequest } from 'node:http';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { LocalChatHub, type LocalChatEntry } from '../../../src/core/local-chat-hub.js';
import type { MessageRef } from '../../../src/core/message.js';
import { ChartRenderer } from '../../../src/reports/chart-renderer.js';
import { barChartSvg, COLORS } from '../../../src/reports/chart-svg.js';
import { Messenger } from '../../../src/routing/messenger.js';
import { decodePng } from '../../support/png.js';
import { ConsoleClient, send } from './console-client.js';
import { eventually, startConsoleApp, type ConsoleApp } from './console-harness.js';

let opsroom: ConsoleApp;
let client: ConsoleClient;

beforeAll(async () => {
  opsroom = await startConsoleApp();
  client = await ConsoleClient.login(opsroom.base, opsroom.loginUrl());
});
afterAll(async () => { await opsroom?.stop(); });
afterEach(() => opsroom.logger.assertNoErrors());

/** A GET with the session whose body is kept as bytes, and whose path goes out exactly as written (no `..` folding). */
function getBytes(path: string, headers: Record<string, string> = {}): Promise<{ status: number; headers: Record<string, unknown>; body: Buffer }> {
  const { hostname, port } = new URL(opsroom.base);
  return new Promise((resolve, reject) => {
    const req = httpRequest({ hostname, port, path, method: 'GET', headers: { cookie: client.cookie, ...headers } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (chunk: Buffer) => chunks.push(chunk));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks) }));
    });
    req.on('error', reject);
    req.end();
  });
}

function entryOf(messageId: string): LocalChatEntry {
  const entry = opsroom.app.get<LocalChatHub>(LocalChatHub).history().find((e) => e.id === messageId);
  if (!entry) throw new Error(`message ${messageId} is not in the local log`);
  return entry;
}

function chart(): Buffer {
  const svg = barChartSvg({ title: 'Test chart', subtitle: 'two bars', rows: [{ label: 'a', values: [1] }, { label: 'b', values: [3] }], series: [{ label: 'n', color: COLORS.neutral }] });
  return Buffer.from(opsroom.app.get<ChartRenderer>(ChartRenderer).png('chart.png', svg).data);
}

async function botSends(attachments: Array<{ name: string; contentType: string; data: Buffer }>): Promise<MessageRef> {
  return opsroom.app.get<Messenger>(Messenger).send('local', 'local:channel:ops', { text: 'a message with files', attachments });
}

const filesOf = (ref: MessageRef, index: number | string = 0): string => `/api/chat/messages/${encodeURIComponent(ref.messageId)}/files/${index}`;

describe('web console message files', () => {
  it('serves the chart of `report wishlist` as the PNG the adapter saved, and tells the page of it without a path', async () => {
    const asked = await client.post('/api/chat/messages', { channel: 'ops', text: 'report wishlist' });
    expect(asked.status).toBe(201);
    const hub = opsroom.app.get<LocalChatHub>(LocalChatHub);
    const answer = await eventually('the wishlist report', () => hub.history().find((e) => e.author.isBot && e.message.text.startsWith('**Wishlist**')));
    expect(answer.files).toEqual([{ index: 0, name: 'wishlist.png', contentType: 'image/png', size: expect.any(Number) }]);
    expect(answer.message.text).not.toContain('📎');
    const path = /📎 wishlist\.png \(image\/png, [\d.]+ (?:B|KiB)\): (\S+)/.exec(opsroom.terminal())?.[1];
    expect(path, 'the terminal still says where the chart was saved').toBeDefined();

    const served = await getBytes(filesOf({ channelId: 'local:channel:ops', messageId: answer.id }));
    expect(served.status).toBe(200);
    expect(served.body.equals(readFileSync(path as string))).toBe(true);
    expect(served.body.length).toBe(answer.files?.[0]?.size);
    expect(decodePng(served.body).width).toBe(800);
  });

  it('streams the exact bytes with its type, inline, not sniffable, privately cacheable', async () => {
    const png = chart();
    const ref = await botSends([{ name: 'chart.png', contentType: 'image/png', data: png }]);
    const served = await getBytes(filesOf(ref));
    expect(served.status).toBe(200);
    expect(served.body.equals(png)).toBe(true);
    expect(served.headers).toMatchObject({
      'content-type': 'image/png', 'content-length': String(png.length), 'content-disposition': `inline; filename="chart.png"; filename*=UTF-8''chart.png`,
      'x-content-type-options': 'nosniff', 'cache-control': 'private, max-age=3600',
    });
    expect(String(served.headers['content-security-policy'])).toMatch(/default-src 'none'.*sandbox/);
  });

  it('offers a file a browser could run (SVG, HTML) only as a download, under a header-safe name', async () => {
    const ref = await botSends([
      { name: 'drawing.svg', contentType: 'image/svg+xml', data: Buffer.from('<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>') },
      { name: 'säule "1".html', contentType: 'text/html', data: Buffer.from('<script>alert(1)</script>') },
    ]);
    const svg = await getBytes(filesOf(ref, 0));
    expect(svg.headers).toMatchObject({ 'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="drawing.svg"; filename*=UTF-8''drawing.svg` });
    const html = await getBytes(filesOf(ref, 1));
    expect(html.status).toBe(200);
    expect(html.headers).toMatchObject({
      'content-type': 'application/octet-stream', 'content-disposition': `attachment; filename="s_ule__1_.html"; filename*=UTF-8''s%C3%A4ule%20%221%22.html`,
    });
  });

  it('refuses without a session (401) and at a Host it does not answer as (403), like every console route', async () => {
    const ref = await botSends([{ name: 'chart.png', contentType: 'image/png', data: chart() }]);
    const anonymous = await send(opsroom.base, 'GET', filesOf(ref));
    expect(anonymous.status).toBe(401);
    expect(anonymous.json()).toMatchObject({ code: 'E_CONSOLE_SESSION' });
    expect(anonymous.text).not.toContain('PNG');
    const port = new URL(opsroom.base).port;
    const rebound = await getBytes(filesOf(ref), { host: `evil.example:${port}` });
    expect(rebound.status).toBe(403);
    expect(rebound.body.toString()).not.toContain('PNG');
  });

  it('answers 404 with a clear error for an unknown message, an unknown index, a file that was never saved, or one that is gone', async () => {
    const plain = await opsroom.app.get<Messenger>(Messenger).send('local', 'local:channel:ops', { text: 'no files here' });
    const ref = await botSends([{ name: 'chart.png', contentType: 'image/png', data: chart() }]);
    const { shortId } = entryOf(ref.messageId);
    const cases: Array<[string, string]> = [
      ['/api/chat/messages/zz-m999/files/0', 'message zz-m999 has no files in the recent conversation'],
      [filesOf(plain), `message ${entryOf(plain.messageId).shortId} has no files`],
      [filesOf(ref, 1), `message ${shortId} has no file 1 (its files are numbered 0 to 0)`],
      [filesOf(ref, 'first'), '"first" is not a file number'],
      [filesOf(ref, '-1'), '"-1" is not a file number'],
    ];
    for (const [path, error] of cases) {
      const answer = await client.get(path);
      expect({ path, status: answer.status, body: answer.json() }).toEqual({ path, status: 404, body: { code: 'E_NOT_FOUND', error: expect.stringContaining(error) } });
    }
  });

  it('says a file is gone when its temporary folder was cleaned', async () => {
    const ref = await botSends([{ name: 'gone.png', contentType: 'image/png', data: chart() }]);
    const path = /📎 gone\.png \(image\/png, [\d.]+ KiB\): (\S+)/.exec(opsroom.terminal())?.[1] as string;
    rmSync(path);
    const answer = await client.get(filesOf(ref));
    expect(answer.status).toBe(404);
    expect(answer.json<{ error: string }>().error).toMatch(/^gone\.png of message m\d+ is no longer on the opsroom host \(ENOENT\)/);
    expect(answer.text).not.toContain(path);
  });

  it('never reads a path from the request: traversal in the message id or the index finds nothing', async () => {
    const ref = await botSends([{ name: 'chart.png', contentType: 'image/png', data: chart() }]);
    const attempts = [
      `/api/chat/messages/${encodeURIComponent('../../../../etc/passwd')}/files/0`,
      `/api/chat/messages/${encodeURIComponent(`../${ref.messageId}`)}/files/0`,
      `/api/chat/messages/${encodeURIComponent(`${ref.messageId}-chart.png`)}/files/0`,
      `/api/chat/messages/${encodeURIComponent(ref.messageId)}/files/${encodeURIComponent('../../../../etc/passwd')}`,
      `/api/chat/messages/${encodeURIComponent(ref.messageId)}/files/${encodeURIComponent('0/../../etc/passwd')}`,
      `/api/chat/messages/${encodeURIComponent(ref.messageId)}/files/0/../../../../../../etc/passwd`,
      `/api/chat/messages/${encodeURIComponent(ref.messageId)}/files/0%00`,
    ];
    for (const path of attempts) {
      const answer = await getBytes(path);
      expect({ path, status: answer.status }).toEqual({ path, status: 404 });
      expect(answer.body.toString()).not.toMatch(/root:|PNG/);
    }
  });
});
