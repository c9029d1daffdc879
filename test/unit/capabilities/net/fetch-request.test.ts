import { describe, expect, it } from 'vitest';
import { validateRequest } from '../../../../src/capabilities/net/fetch-request.js';

const MIB = 1024 * 1024;
const check = (request: unknown) => () => validateRequest(request, MIB);

describe('validateRequest', () => {
  it('accepts a plain GET and defaults the method', () => {
    const valid = validateRequest({ url: 'https://api.github.com/repos?x=1' }, MIB);
    expect(valid.method).toBe('GET');
    expect(valid.url.href).toBe('https://api.github.com/repos?x=1');
    expect(valid.headers).toEqual({});
    expect(valid.body).toBeUndefined();
  });

  it('upper-cases the method and lower-cases header names', () => {
    const valid = validateRequest({ url: 'https://x.test/', init: { method: 'post', headers: { 'Content-Type': 'application/json' }, body: '{}' } }, MIB);
    expect(valid).toMatchObject({ method: 'POST', headers: { 'content-type': 'application/json' }, body: '{}' });
  });

  it.each([
    [null, 'net: a request must be an object with a url (got null)'],
    [{ url: 42 }, 'net: the URL must be a string (got number)'],
    [{ url: '/relative' }, 'net: "/relative" is not a valid absolute URL'],
    [{ url: 'https://user:pw@x.test/' }, 'net: the URL carries a user name or password; send credentials in a header instead'],
    [{ url: 'https://x.test/', init: 'GET' }, 'net: init must be an object (got string)'],
    [{ url: 'https://x.test/', init: { redirect: 'follow' } }, 'net: init.redirect is not supported (supported: method, headers, body)'],
    [{ url: 'https://x.test/', init: { method: 'TRACE' } }, 'net: method "TRACE" is not allowed (allowed: GET, HEAD, POST, PUT, PATCH, DELETE, OPTIONS)'],
    [{ url: 'https://x.test/', init: { method: 'CONNECT' } }, 'net: method "CONNECT" is not allowed'],
    [{ url: 'https://x.test/', init: { method: 7 } }, 'net: init.method must be a string (got number)'],
    [{ url: 'https://x.test/', init: { headers: ['a'] } }, 'net: init.headers must be an object of strings (got array)'],
    [{ url: 'https://x.test/', init: { headers: { 'x-n': 1 } } }, 'net: header x-n must be a string (got number)'],
    [{ url: 'https://x.test/', init: { headers: { 'bad name': 'v' } } }, 'net: "bad name" is not a valid header name'],
    [{ url: 'https://x.test/', init: { headers: { 'x-a': 'v\r\nx-b: injected' } } }, 'net: header x-a contains a line break or NUL'],
    [{ url: 'https://x.test/', init: { headers: { 'x-a': 'v\u27e6' } } }, 'net: header x-a contains a character that cannot be sent in a header (U+27E6)'],
    [{ url: 'https://x.test/', init: { headers: { Host: 'evil.com' } } }, 'net: header host is set by the host and may not be set by a plugin'],
    [{ url: 'https://x.test/', init: { headers: { 'Content-Length': '5' } } }, 'net: header content-length is set by the host'],
    [{ url: 'https://x.test/', init: { headers: { 'Transfer-Encoding': 'chunked' } } }, 'net: header transfer-encoding is set by the host'],
    [{ url: 'https://x.test/', init: { headers: { Connection: 'keep-alive' } } }, 'net: header connection is set by the host'],
    [{ url: 'https://x.test/', init: { headers: { 'X-A': '1', 'x-a': '2' } } }, 'net: header x-a is given twice (header names ignore case)'],
    [{ url: 'https://x.test/', init: { method: 'GET', body: 'x' } }, 'net: a GET request cannot have a body'],
    [{ url: 'https://x.test/', init: { method: 'POST', body: { a: 1 } } }, 'net: init.body must be a string (got object); use JSON.stringify for JSON'],
  ])('refuses %j', (request, message) => {
    expect(check(request)).toThrow(message);
  });

  it('refuses a body over the cap, naming both sizes', () => {
    const body = 'x'.repeat(2 * MIB);
    expect(check({ url: 'https://x.test/', init: { method: 'POST', body } })).toThrow(
      expect.objectContaining({ name: 'CapabilityDenied', code: 'E_CAPABILITY_DENIED', message: 'net: request body of 2 MiB exceeds the 1 MiB limit' }),
    );
  });

  it('counts the body in UTF-8 bytes, not characters', () => {
    const body = 'é'.repeat(MIB / 2 + 1);
    expect(check({ url: 'https://x.test/', init: { method: 'PUT', body } })).toThrow('exceeds the 1 MiB limit');
  });

  it('refuses oversized headers', () => {
    expect(check({ url: 'https://x.test/', init: { headers: { 'x-big': 'a'.repeat(20_000) } } })).toThrow('net: request headers of 19.5 KiB exceed the 16 KiB limit');
  });
});
