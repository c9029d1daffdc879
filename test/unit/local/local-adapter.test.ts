import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { PassThrough, type Readable } from 'node:stream';
import { describe, expect, it, onTestFinished } from 'vitest';
import type { ChatEvent } from '../../../src/core/chat-event.js';
import type { LocalChatChange } from '../../../src/core/local-chat-hub.js';
import { localHubOf } from '../../../src/core/local-chat-hub.js';
import { LocalAdapter } from '../../../adapters/local/local-adapter.js';

/** The adapter on pipes, with a bot that records every event and can be made slow. */
async function started(attachmentsDir?: string) {
  const input = new PassThrough();
  const output = new PassThrough();
  let printed = '';
  output.on('data', (chunk: Buffer) => { printed += chunk.toString('utf8'); });
  const adapter = new LocalAdapter({
    users: [{ name: 'alice' }, { name: 'bob' }], defaultUser: 'alice', channels: ['ops', 'builds'], botName: 'opsroom',
    input, output, interactive: false, ...(attachmentsDir ? { attachmentsDir } : {}),
  });
  const events: ChatEvent[] = [];
  adapter.onDidReceiveEvent(async (event) => { events.push(event); });
  await adapter.start();
  onTestFinished(() => adapter.stop());
  return { adapter, hub: adapter.hub, input, events, printed: () => printed, type: (line: string) => input.write(`${line}\n`) };
}

async function until(check: () => boolean): Promise<void> {
  for (let i = 0; i < 200 && !check(); i++) await new Promise((resolve) => setTimeout(resolve, 5));
  expect(check()).toBe(true);
}

async function bytesOf(stream: Readable): Promise<Buffer> {
  const chunks: Buffer[] = [];
  for await (const chunk of stream) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks);
}

function attachmentsDir(): string {
  const dir = mkdtempSync(join(tmpdir(), 'opsroom-local-files-'));
  onTestFinished(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

describe('LocalAdapter', () => {
  it('is one platform with a hub the composition root can find', async () => {
    const { adapter } = await started();
    expect(adapter.platform).toBe('local');
    expect(localHubOf(adapter)).toBe(adapter.hub);
    expect(adapter.hub.users().map((u) => u.id)).toEqual(['local:user:alice', 'local:user:bob']);
  });

  it('turns a line from the web into the same message event as the terminal, and shows it in the terminal', async () => {
    const { hub, events, printed, type } = await started();
    const entry = await hub.say({ kind: 'message', user: 'bob', channel: '#builds', text: ' ping ' });
    expect(entry).toMatchObject({ channel: 'builds', via: 'web', message: { text: 'ping' }, author: { id: 'local:user:bob' } });
    type('whoami');
    await until(() => events.length === 2);
    const [web, terminal] = events as [ChatEvent, ChatEvent];
    expect(web).toMatchObject({ type: 'message', text: 'ping', mentionsBot: true, actor: { id: 'local:user:bob', name: 'bob', isBot: false }, channel: { id: 'local:channel:builds' } });
    expect(terminal).toMatchObject({ type: 'message', text: 'whoami', actor: { id: 'local:user:alice' }, channel: { id: 'local:channel:ops' } });
    expect(printed()).toBe('[#builds] bob (web): ping\n');
    expect(hub.history().map((e) => [e.via, e.message.text])).toEqual([['web', 'ping'], ['terminal', 'whoami']]);
  });

  it('shows what the bot sends and rewrites in both views', async () => {
    const { adapter, hub, printed } = await started();
    const changes: LocalChatChange[] = [];
    hub.onDidChange((change) => changes.push(change));
    const ref = await adapter.send('local:channel:ops', { text: 'approve?', reactions: ['✅', '❌'], buttons: [{ id: 'approval.approve', label: 'Approve', value: { requestId: 'abcdef' } }] });
    await adapter.update(ref, { text: 'approved - running' });
    expect(changes.map((c) => [c.kind, c.entry.message.text, c.entry.edits])).toEqual([['posted', 'approve?', 0], ['updated', 'approved - running', 1]]);
    expect(printed()).toMatch(/^approve\?\n  \[Approve\]\n  react with: ✅ ❌\n  \(message m1: \/react m1 ✅\)\n\(m1 updated\) approved - running\n$/);
  });

  it('makes a reaction and a button press from the web into events on that message, with the button value the bot gave', async () => {
    const { adapter, hub, events, printed } = await started();
    const ref = await adapter.send('local:channel:ops', { text: 'approve?', reactions: ['✅'], buttons: [{ id: 'approval.approve', label: 'Approve', value: { requestId: 'abcdef' } }] });
    await hub.say({ kind: 'reaction', user: 'bob', messageId: ref.messageId, emoji: '✅', added: true });
    await hub.say({ kind: 'reaction', user: 'bob', messageId: ref.messageId, emoji: '✅', added: true });
    await hub.say({ kind: 'action', user: 'bob', messageId: ref.messageId, actionId: 'approval.approve' });
    await until(() => events.length === 2);
    expect(events).toMatchObject([
      { type: 'reaction', messageId: ref.messageId, emoji: '✅', added: true, actor: { id: 'local:user:bob' }, channel: { id: 'local:channel:ops' } },
      { type: 'action', messageId: ref.messageId, actionId: 'approval.approve', value: { requestId: 'abcdef' }, actor: { id: 'local:user:bob' } },
    ]);
    expect(printed()).toContain('bob (web) reacted ✅ to m1\nbob (web) pressed [Approve] on m1\n');
  });

  it('refuses, naming the problem, what the web page cannot mean', async () => {
    const { hub } = await started();
    await expect(hub.say({ kind: 'message', user: 'mallory', channel: 'ops', text: 'ping' })).rejects.toThrow('there is no local user "mallory" (users: alice, bob)');
    await expect(hub.say({ kind: 'message', user: 'alice', channel: 'random', text: 'ping' })).rejects.toThrow('there is no channel "random" (channels: #ops, #builds)');
    await expect(hub.say({ kind: 'message', user: 'alice', channel: 'ops', text: 'x'.repeat(4001) })).rejects.toThrow('at most 4000 characters');
    await expect(hub.say({ kind: 'reaction', user: 'alice', messageId: 'gone-m1', emoji: '✅', added: true })).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('still lets the terminal react to a message of an earlier session, in the channel it is in', async () => {
    const { events, type } = await started();
    type('/channel builds');
    type('/react 1a2b3c-m4 ✅');
    await until(() => events.length === 1);
    expect(events[0]).toMatchObject({ type: 'reaction', messageId: '1a2b3c-m4', channel: { id: 'local:channel:builds' } });
  });

  it('hands the events of one channel to the bot in order, one at a time', async () => {
    const { adapter, hub } = await started();
    const seen: string[] = [];
    let release!: () => void;
    const gate = new Promise<void>((resolve) => { release = resolve; });
    adapter.onDidReceiveEvent(async (event) => {
      if (event.type !== 'message') return;
      seen.push(`start ${event.text}`);
      if (event.text === 'first') await gate;
      seen.push(`end ${event.text}`);
    });
    await hub.say({ kind: 'message', user: 'alice', channel: 'ops', text: 'first' });
    await hub.say({ kind: 'message', user: 'alice', channel: 'ops', text: 'second' });
    await hub.say({ kind: 'message', user: 'alice', channel: 'builds', text: 'elsewhere' });
    await until(() => seen.includes('end elsewhere'));
    expect(seen).toEqual(['start first', 'start elsewhere', 'end elsewhere']);
    release();
    await until(() => seen.length === 6);
    expect(seen.slice(3)).toEqual(['end first', 'start second', 'end second']);
  });

  it('hands out web console login links only while an issuer is there', async () => {
    const { hub, printed, type } = await started();
    type('/web');
    await until(() => printed().includes('The web console is not running here'));
    const issuing = hub.provideLoginLinks(() => 'http://127.0.0.1:3000/login?token=abc');
    type('/web');
    await until(() => printed().includes('Web console: http://127.0.0.1:3000/login?token=abc'));
    issuing.dispose();
    await expect(Promise.resolve(hub.loginLink())).resolves.toBeUndefined();
  });

  it('prints where a file was saved in the terminal, and gives the page the file by message id and index, never its path', async () => {
    const dir = attachmentsDir();
    const { adapter, hub, printed } = await started(dir);
    const png = Buffer.from('\x89PNG fake chart');
    const ref = await adapter.send('local:channel:ops', { text: '**Wishlist**', attachments: [{ name: 'wishlist.png', contentType: 'image/png', data: png }] });
    const path = join(dir, `${ref.messageId}-wishlist.png`);
    expect(printed()).toBe(`**Wishlist**\n📎 wishlist.png (image/png, ${png.length} B): ${path}\n`);
    const [entry] = hub.history();
    expect(entry?.message).toEqual({ text: '**Wishlist**' });
    expect(entry?.files).toEqual([{ index: 0, name: 'wishlist.png', contentType: 'image/png', size: png.length }]);
    expect(JSON.stringify(entry)).not.toContain(dir);
    const opened = await hub.openFile(ref.messageId, 0);
    expect({ file: opened.file, size: opened.size }).toEqual({ file: entry?.files?.[0], size: png.length });
    expect((await bytesOf(opened.stream)).equals(png)).toBe(true);
  });

  it('refuses, naming what is missing, a file of an unknown message, an unknown index, or a file that is gone', async () => {
    const dir = attachmentsDir();
    const { adapter, hub } = await started(dir);
    const plain = await adapter.send('local:channel:ops', { text: 'no files' });
    const ref = await adapter.send('local:channel:ops', { text: 'chart', attachments: [{ name: 'a.png', contentType: 'image/png', data: Buffer.from('x') }] });
    await expect(hub.openFile('zz-m9', 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'message zz-m9 has no files in the recent conversation' });
    await expect(hub.openFile(plain.messageId, 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'message m1 has no files in the recent conversation' });
    await expect(hub.openFile(ref.messageId, 1)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'message m2 has no file 1 (its files are numbered 0 to 0)' });
    await expect(hub.openFile(ref.messageId, -1)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
    rmSync(join(dir, `${ref.messageId}-a.png`));
    await expect(hub.openFile(ref.messageId, 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND', message: expect.stringMatching(/^a\.png of message m2 is no longer on the opsroom host \(ENOENT\)/) });
  });

  it('replaces the files of a message the bot rewrites', async () => {
    const dir = attachmentsDir();
    const { adapter, hub } = await started(dir);
    const ref = await adapter.send('local:channel:ops', { text: 'v1', attachments: [{ name: 'a.png', contentType: 'image/png', data: Buffer.from('one') }] });
    await adapter.update(ref, { text: 'v2', attachments: [{ name: 'b.png', contentType: 'image/png', data: Buffer.from('two!') }] });
    expect(hub.history()[0]?.files).toEqual([{ index: 0, name: 'b.png', contentType: 'image/png', size: 4 }]);
    expect((await bytesOf((await hub.openFile(ref.messageId, 0)).stream)).toString()).toBe('two!');
    await adapter.update(ref, { text: 'v3' });
    expect(hub.history()[0]).not.toHaveProperty('files');
    await expect(hub.openFile(ref.messageId, 0)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });
});
