import { afterEach, describe, expect, it } from 'vitest';
import { AuditLog } from '../../../src/audit/audit-log.js';
import type { ConfigInput } from '../../../src/config/config-schema.js';
import { message } from '../../fakes/fake-adapter.js';
import { startServer, type LoopbackServer } from '../capabilities/loopback-server.js';
import { startTestApp, type TestApp } from '../../support/test-app.js';

const TOKEN_VARIABLE = 'OPSROOM_TEST_STATUS_TOKEN';

const RBAC: ConfigInput['rbac'] = {
  roles: {
    operator: { permissions: ['*', '!rbac:*'] },
    approver: { permissions: ['approve'] },
    viewer: { permissions: ['status:read'] },
  },
  bindings: [
    { principal: 'local:user:alice', roles: ['operator'] },
    { principal: 'local:user:bob', roles: ['approver'] },
    { principal: 'local:user:vic', roles: ['viewer'] },
  ],
};

function statusServer(): Promise<LoopbackServer> {
  return startServer((req, res) => {
    if (req.url === '/status/web') {
      res.writeHead(200, { 'content-type': 'application/json' });
      res.end(JSON.stringify({ state: 'operational', incidents: 0 }));
    } else {
      res.writeHead(503, { 'content-type': 'text/plain' });
      res.end('maintenance until 14:00');
    }
  });
}

function commands(server: LoopbackServer): NonNullable<ConfigInput['commands']> {
  return {
    'status-page': {
      description: 'Shows the public status of a service',
      args: [{ name: 'service', type: 'string', required: true }],
      permission: 'status:read',
      http: { url: `${server.origin}/status/{{args.service}}`, headers: { authorization: 'Bearer {{secret.STATUS_TOKEN}}', 'x-asked-by': '{{user.id}}' } },
      reply: '{{args.service}} is {{json.state}} ({{json.incidents}} incidents, HTTP {{status}})',
      failure: '{{args.service}} status page answered {{status}}: {{body}}',
    },
    'status-elsewhere': {
      description: 'Calls a loopback port the operator did not allow',
      http: { url: 'http://127.0.0.1:9/status' },
    },
    restart: {
      description: 'Restarts a service through the restart-app runbook',
      args: [{ name: 'service', type: 'string', required: true }],
      risk: 'high',
      runbook: { name: 'restart-app', params: { service: '{{args.service}}' } },
      reply: 'restart of {{args.service}}: {{stdout}}',
    },
  };
}

async function startApp(server: LoopbackServer): Promise<TestApp> {
  process.env[TOKEN_VARIABLE] = 'sekret-123';
  return startTestApp({
    rbac: RBAC,
    net: { allowPrivate: [`127.0.0.1:${server.port}`] },
    secrets: { STATUS_TOKEN: { env: TOKEN_VARIABLE } },
    runbooks: {
      'restart-app': {
        argv: [process.execPath, '-e', 'process.stdout.write("restarted " + process.argv[1])', '{service}'],
        params: { service: { type: 'string', pattern: '[a-z]+', required: true } },
        risk: 'high',
      },
    },
    commands: commands(server),
  });
}

describe('commands defined in the configuration', () => {
  afterEach(() => {
    delete process.env[TOKEN_VARIABLE];
  });

  it('calls the endpoint with the secret in the header only, and answers from the response template', async () => {
    const server = await statusServer();
    const { adapter, app } = await startApp(server);
    await adapter.deliver(message('!status-page web', { as: 'vic' }));
    expect(adapter.lastText()).toBe('web is operational (0 incidents, HTTP 200)');
    expect(server.requests).toHaveLength(1);
    expect(server.requests[0]?.headers.authorization).toBe('Bearer sekret-123');
    expect(server.requests[0]?.headers['x-asked-by']).toBe('local:user:vic');
    const audit = app.get<AuditLog>(AuditLog);
    const used = await audit.list({ action: 'capability.used' });
    expect(used[0]?.detail).toMatchObject({ plugin: 'config', capability: 'fetch', host: `127.0.0.1:${server.port}`, status: 200, substituted: ['STATUS_TOKEN'] });
    expect(JSON.stringify(await audit.list({ limit: 100 }))).not.toContain('sekret-123');
    expect((await audit.list({ action: 'command.executed' }))[0]).toMatchObject({ command: 'status-page', args: { service: 'web' }, outcome: 'succeeded' });
  });

  it('answers an error status with the failure template and audits the run as failed', async () => {
    const server = await statusServer();
    const { adapter, app } = await startApp(server);
    await adapter.deliver(message('!status-page api', { as: 'alice' }));
    expect(adapter.lastText()).toBe('api status page answered 503: maintenance until 14:00');
    const failed = await app.get<AuditLog>(AuditLog).list({ action: 'command.failed' });
    expect(failed[0]).toMatchObject({ command: 'status-page', detail: { code: 'E_CONFIG_COMMAND' } });
  });

  it('denies a caller without the permission before any request is made', async () => {
    const server = await statusServer();
    const { adapter } = await startApp(server);
    await adapter.deliver(message('!status-page web', { as: 'mallory' }));
    expect(adapter.lastText()).toMatch(/^Denied: status-page needs the permission status:read/);
    expect(server.requests).toHaveLength(0);
  });

  it('refuses a private address the operator did not allow, as a plugin fetch would be', async () => {
    const server = await statusServer();
    const { adapter, app } = await startApp(server);
    await adapter.deliver(message('!status-elsewhere', { as: 'alice' }));
    expect(adapter.lastText()).toMatch(/127\.0\.0\.1.*(private|loopback|not allowed)/i);
    const denied = await app.get<AuditLog>(AuditLog).list({ action: 'capability.denied' });
    expect(denied[0]?.detail).toMatchObject({ plugin: 'config', capability: 'fetch', host: '127.0.0.1:9' });
  });

  it('holds a high-risk runbook command for approval and runs the frozen call once approved', async () => {
    const server = await statusServer();
    const { adapter, app } = await startApp(server);
    await adapter.deliver(message('!restart web', { as: 'alice' }));
    const audit = app.get<AuditLog>(AuditLog);
    const requested = await audit.list({ action: 'approval.requested' });
    expect(requested).toHaveLength(1);
    expect(await audit.list({ action: 'command.executed', command: 'restart' })).toHaveLength(0);
    const requestId = String(requested[0]?.detail?.requestId);
    await adapter.deliver(message(`!approve ${requestId}`, { as: 'bob' }));
    await waitFor(async () => (await audit.list({ action: 'command.executed', command: 'restart' })).length === 1);
    expect(adapter.texts()).toContain('restart of web: restarted web');
    const used = await audit.list({ action: 'capability.used' });
    expect(used[0]?.detail).toMatchObject({ plugin: 'config', capability: 'runbook', runbook: 'restart-app', exitCode: 0 });
  });

  it('shows up in help with its owner, usage and permission', async () => {
    const server = await statusServer();
    const { adapter } = await startApp(server);
    await adapter.deliver(message('!help status-page', { as: 'alice' }));
    expect(adapter.lastText()).toContain('`status-page` (config): Shows the public status of a service\nusage: status-page <service>');
    expect(adapter.lastText()).toContain('permission: status:read');
  });
});

async function waitFor(check: () => Promise<boolean>, timeoutMs = 5000): Promise<void> {
  const deadline = Date.now() + timeoutMs;
  while (!(await check())) {
    if (Date.now() > deadline) throw new Error('timed out waiting');
    await new Promise((resolve) => setTimeout(resolve, 25));
  }
}
