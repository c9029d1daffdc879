import { describe, expect, it } from 'vitest';
import { matchPath } from '../../../../src/http/console/console-route.js';
import { consoleConfigSchema } from '../../../../src/http/console/console-config-schema.js';
import { OriginPolicy } from '../../../../src/http/console/origin-policy.js';

describe('OriginPolicy', () => {
  it('answers the loopback names and the bound address at the port, plus configured origins', () => {
    const policy = new OriginPolicy(['https://ops.example.com'], '10.0.0.5');
    expect(policy.origins(3000)).toEqual([
      'http://127.0.0.1:3000', 'http://localhost:3000', 'http://[::1]:3000', 'http://10.0.0.5:3000', 'https://ops.example.com',
    ]);
    expect(policy.originOfHost('LOCALHOST:3000', 3000)).toBe('http://localhost:3000');
    expect(policy.originOfHost('ops.example.com', 3000)).toBe('https://ops.example.com');
    expect(policy.originOfHost('evil.example:3000', 3000)).toBeUndefined();
    expect(policy.originOfHost('127.0.0.1:3001', 3000)).toBeUndefined();
    expect(policy.originOfHost(undefined, 3000)).toBeUndefined();
  });

  it('takes an Origin only when it is one of them exactly', () => {
    const policy = new OriginPolicy([], '0.0.0.0');
    expect(policy.origins(80)).toEqual(['http://127.0.0.1', 'http://localhost', 'http://[::1]']);
    expect(policy.allowsOrigin('http://127.0.0.1', 80)).toBe(true);
    expect(policy.allowsOrigin('http://127.0.0.1.evil.example', 80)).toBe(false);
    expect(policy.allowsOrigin('null', 80)).toBe(false);
    expect(policy.allowsOrigin(undefined, 80)).toBe(false);
  });
});

describe('the console configuration', () => {
  it('takes origins only as scheme and host, nothing after them', () => {
    expect(consoleConfigSchema.parse({ origins: ['https://ops.example.com:8443'] }).origins).toEqual(['https://ops.example.com:8443']);
    const bad = consoleConfigSchema.safeParse({ origins: ['https://ops.example.com/console', 'ftp://x.example', 'ops.example.com'] });
    expect(bad.success).toBe(false);
    expect(bad.error?.issues.map((i) => i.path.join('.'))).toEqual(['origins.0', 'origins.1', 'origins.2']);
  });
});

describe('matchPath', () => {
  it('matches exact parts and names the parameters, decoded', () => {
    expect(matchPath('/api/approvals/:id/approve', '/api/approvals/a7f3kx/approve')).toEqual({ id: 'a7f3kx' });
    expect(matchPath('/api/plugins/:name/grant', '/api/plugins/my%2Dplugin/grant')).toEqual({ name: 'my-plugin' });
    expect(matchPath('/api/approvals/:id/approve', '/api/approvals//approve')).toBeUndefined();
    expect(matchPath('/api/approvals/:id/approve', '/api/approvals/a7f3kx/deny')).toBeUndefined();
    expect(matchPath('/api/plugins/:name/grant', '/api/plugins/%E0%A4%A/grant')).toBeUndefined();
    expect(matchPath('/assets/*', '/assets/index.js')).toEqual({ rest: 'index.js' });
    expect(matchPath('/assets/*', '/assets/')).toBeUndefined();
  });
});
