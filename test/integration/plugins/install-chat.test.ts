import { afterEach, describe, expect, it } from 'vitest';
import { message, reaction, type SentRecord } from '../../fakes/fake-adapter.js';
import { folderPlugin, startInstallBed, type InstallBed } from './install-bed.js';

let bed: InstallBed | undefined;
afterEach(() => bed?.logger.assertNoErrors());

function lastRequest(sent: SentRecord[]): SentRecord & { id: string } {
  const record = [...sent].reverse().find((s) => s.message?.reactions?.length);
  const id = /- id ([a-z0-9]{6})$/.exec(record?.message?.text ?? '')?.[1];
  if (!record || !id) throw new Error(`no approval request was posted: ${JSON.stringify(sent.map((s) => s.message?.text))}`);
  return { ...record, id };
}

describe('plugin install in chat', () => {
  it('needs the admin permission, then the approval of a second admin, and answers with what the plugin asks for', async () => {
    bed = await startInstallBed({
      rbac: {
        roles: { operator: { permissions: ['*', '!plugin:admin'] }, admin: { permissions: ['*'] }, approver: { permissions: ['approve'] } },
        bindings: [
          { principal: 'local:user:alice', roles: ['admin'] }, { principal: 'local:user:bob', roles: ['admin'] },
          { principal: 'local:user:carol', roles: ['approver'] }, { principal: 'local:user:dave', roles: ['operator'] },
        ],
      },
    });
    const source = folderPlugin(bed.dir, { name: 'hello', capabilities: { net: ['api.github.com'] } });
    await bed.adapter.deliver(message(`!plugin install ${source}`, { as: 'dave' }));
    expect(bed.adapter.lastText()).toMatch(/^Denied: plugin install needs the permission plugin:admin/);

    await bed.adapter.deliver(message(`!plugin install ${source}`, { as: 'alice', messageId: 'install-1' }));
    const request = lastRequest(bed.adapter.sent);
    expect(request.message?.text).toMatch(new RegExp(`^alice asks to run \`plugin install ${source}\` - needs 1 approval from admin - `));
    expect(bed.plugins.info('hello')).toBeUndefined();

    await bed.adapter.deliver(reaction(request.messageId, '✅', { as: 'alice' }));
    await bed.adapter.deliver(reaction(request.messageId, '✅', { as: 'carol' }));
    expect(bed.plugins.info('hello')).toBeUndefined();

    await bed.adapter.deliver(reaction(request.messageId, '✅', { as: 'bob' }));
    const answer = bed.adapter.texts().find((t) => t.startsWith('Installed hello 1.0.0'));
    expect(answer).toContain('It is DISABLED.');
    expect(answer).toContain('  - send HTTP requests to api.github.com (net:api.github.com)');
    expect(bed.plugins.info('hello')).toMatchObject({ state: 'disabled', granted: [] });
  });

  it('holds plugin upgrade for a second admin too, lets plugin remove run on the permission alone, and answers a bad source after approval', async () => {
    bed = await startInstallBed();
    const source = folderPlugin(bed.dir, { name: 'hello' });
    await bed.installer.install(source, 'system');
    await bed.adapter.deliver(message(`!plugin upgrade hello ${source}`, { as: 'alice' }));
    expect(lastRequest(bed.adapter.sent).message?.text).toMatch(/^alice asks to run `plugin upgrade hello .*` - needs 1 approval from admin/);
    await bed.adapter.deliver(message('!plugin remove hello --purge', { as: 'bob' }));
    expect(bed.adapter.lastText()).toBe('Removed hello 1.0.0: its code and grants are gone; 0 stored keys deleted.');
    await bed.adapter.deliver(message('!plugin install https://example.com/hello.tgz', { as: 'alice' }));
    const held = lastRequest(bed.adapter.sent);
    await bed.adapter.deliver(message(`!approve ${held.id}`, { as: 'alice' }));
    expect(bed.adapter.lastText()).toBe(`Cannot do that: alice asked for ${held.id} and cannot approve it; somebody else holding admin must.`);
    await bed.adapter.deliver(message(`!approve ${held.id}`, { as: 'bob' }));
    expect(bed.adapter.texts().some((t) => t.includes('a tarball URL needs the sha256 of the tarball pinned after it, as #sha256=<64 hex digits>'))).toBe(true);
    expect(bed.plugins.info('hello')).toBeUndefined();
  });
});
