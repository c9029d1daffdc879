import { describe, expect, it } from 'vitest';
import { SecretHandles } from '../../../../src/capabilities/secrets/secret-handles.js';
import { SecretStoreImpl } from '../../../../src/capabilities/secrets/secret-store.js';

const VALUE = 'ghp_R3alT0kenValue+/=';

function handles(env: NodeJS.ProcessEnv = { GITHUB_TOKEN: VALUE, OTHER: 'other-value-123' }) {
  const store = new SecretStoreImpl({ GITHUB_TOKEN: { env: 'GITHUB_TOKEN' }, OTHER: { env: 'OTHER' } }, env);
  return new SecretHandles('deploy', [
    { name: 'GITHUB_TOKEN', hosts: ['api.github.com', '*.githubusercontent.com'] },
    { name: 'OTHER', hosts: ['other.test:8443'] },
  ], store);
}

describe('SecretHandles', () => {
  it('hands out opaque placeholders that reveal nothing of the value', () => {
    const placeholders = handles().placeholders();
    expect(Object.keys(placeholders)).toEqual(['GITHUB_TOKEN', 'OTHER']);
    expect(placeholders.GITHUB_TOKEN).toMatch(/^\{\{opsroom-secret:GITHUB_TOKEN:[0-9a-f]{32}\}\}$/);
    expect(placeholders.GITHUB_TOKEN).not.toContain(VALUE);
    expect(JSON.parse(JSON.stringify(placeholders))).toEqual(placeholders);
  });

  it('makes new placeholders for every plugin load', () => {
    expect(handles().placeholders().GITHUB_TOKEN).not.toBe(handles().placeholders().GITHUB_TOKEN);
  });

  it('substitutes a placeholder anywhere inside a header value for a bound host', () => {
    const h = handles();
    const url = new URL('https://api.github.com/repos');
    const binder = h.binderFor(url);
    const out = binder.substituteHeaders({ authorization: `Bearer ${h.placeholders().GITHUB_TOKEN}`, accept: 'application/json' }, url);
    expect(out).toEqual({ authorization: `Bearer ${VALUE}`, accept: 'application/json' });
    expect(binder.usedSecrets()).toEqual(['GITHUB_TOKEN']);
  });

  it('matches bound hosts like net grants: wildcards for subdomains, default ports unless one is named', () => {
    const h = handles();
    const p = h.placeholders();
    const sub = (target: string, placeholder: string) => {
      const url = new URL(target);
      return h.binderFor(url).substituteHeaders({ authorization: placeholder }, url).authorization;
    };
    expect(sub('https://raw.githubusercontent.com/x', p.GITHUB_TOKEN as string)).toBe(VALUE);
    expect(sub('https://githubusercontent.com/x', p.GITHUB_TOKEN as string)).toBe(p.GITHUB_TOKEN);
    expect(sub('https://api.github.com:8443/', p.GITHUB_TOKEN as string)).toBe(p.GITHUB_TOKEN);
    expect(sub('https://other.test:8443/', p.OTHER as string)).toBe('other-value-123');
    expect(sub('https://other.test/', p.OTHER as string)).toBe(p.OTHER);
  });

  it('leaves the placeholder literal in a header to a granted host that is not bound to the secret', () => {
    const h = handles();
    const url = new URL('https://api.example.com/');
    const out = h.binderFor(url).substituteHeaders({ authorization: `Bearer ${h.placeholders().GITHUB_TOKEN}` }, url);
    expect(out.authorization).toBe(`Bearer ${h.placeholders().GITHUB_TOKEN}`);
  });

  it('drops a secret-bearing header on a redirect hop to a host the secret is not bound to', () => {
    const h = handles();
    const binder = h.binderFor(new URL('https://api.github.com/start'));
    const out = binder.substituteHeaders({ 'x-token': h.placeholders().GITHUB_TOKEN as string, accept: '*/*' }, new URL('https://elsewhere.example.com/'));
    expect(out).toEqual({ accept: '*/*' });
  });

  it('does not substitute another load\'s placeholder', () => {
    const other = handles().placeholders().GITHUB_TOKEN as string;
    const h = handles();
    const url = new URL('https://api.github.com/');
    expect(h.binderFor(url).substituteHeaders({ authorization: other }, url).authorization).toBe(other);
  });

  it('fails with the way to set a missing value, never printing one', () => {
    const h = handles({ OTHER: 'other-value-123' });
    const url = new URL('https://api.github.com/');
    expect(() => h.binderFor(url).substituteHeaders({ authorization: h.placeholders().GITHUB_TOKEN as string }, url)).toThrow(
      expect.objectContaining({ code: 'E_CONFIG', message: 'secret GITHUB_TOKEN has no value: set the environment variable GITHUB_TOKEN' }),
    );
  });

  it('refuses a value that would break the header it goes into', () => {
    const h = handles({ GITHUB_TOKEN: 'abc\r\nx-injected: 1' });
    const url = new URL('https://api.github.com/');
    let message = '';
    try {
      h.binderFor(url).substituteHeaders({ authorization: h.placeholders().GITHUB_TOKEN as string }, url);
    } catch (error) {
      message = (error as Error).message;
    }
    expect(message).toBe('secret GITHUB_TOKEN has a value that cannot be sent in a header (it contains a line break, a control character or a character outside Latin-1)');
  });

  it('redacts a value in every common encoding, to the name marker', () => {
    const binder = handles().binderFor(new URL('https://api.github.com/'));
    const echoed = [
      `raw ${VALUE}`,
      `url ${encodeURIComponent(VALUE)}`,
      `json ${JSON.stringify({ v: VALUE })}`,
      `b64 ${Buffer.from(VALUE).toString('base64')}`,
      `b64url ${Buffer.from(VALUE).toString('base64url')}`,
      'other other-value-123',
    ].join('\n');
    const redacted = binder.redact(echoed);
    expect(redacted).not.toContain(VALUE);
    expect(redacted).not.toContain(encodeURIComponent(VALUE));
    expect(redacted).not.toContain(Buffer.from(VALUE).toString('base64'));
    expect(redacted).not.toContain('other-value-123');
    expect(redacted).toContain('raw {{opsroom-secret:GITHUB_TOKEN}}');
    expect(redacted).toContain('other {{opsroom-secret:OTHER}}');
  });

  it.each([
    [[{ name: 'lower', hosts: ['a.test'] }], 'plugin deploy: "lower" is not a secret name (expected upper case, such as GITHUB_TOKEN)'],
    [[{ name: 'A', hosts: [] }], 'plugin deploy: secret A is bound to no host, so it could never be sent'],
    [[{ name: 'A', hosts: ['https://a.test'] }], 'plugin deploy: secret A: host entry "https://a.test" is invalid'],
    [[{ name: 'A', hosts: ['a.test'] }, { name: 'A', hosts: ['b.test'] }], 'plugin deploy: secret A is bound twice'],
  ])('refuses the bindings %j', (bindings, message) => {
    expect(() => new SecretHandles('deploy', bindings, new SecretStoreImpl({}, {}))).toThrow(message);
  });
});
