import { describe, expect, it } from 'vitest';
import { configCommandsSchema, grantHostOf, secretsOf } from '../../../src/automation/config-command-schema.js';
import { formatIssues } from '../../../src/config/format-issues.js';

function problems(commands: unknown): string[] {
  const parsed = configCommandsSchema.safeParse(commands);
  return parsed.success ? [] : formatIssues(parsed.error.issues, 'commands.');
}

describe('the commands section', () => {
  it('accepts an HTTP command and a runbook command with templates', () => {
    expect(problems({
      'status page': {
        description: 'Status', args: [{ name: 'service', type: 'string', required: true }],
        http: { url: 'https://status.example.com:8443/api/{{args.service}}?v=1', headers: { authorization: 'Bearer {{secret.STATUS_TOKEN}}' } },
        reply: '{{json.status}}',
      },
      restart: { description: 'Restart', risk: 'high', args: [{ name: 'service', type: 'string' }], runbook: { name: 'restart-app', params: { service: '{{args.service}}' } }, reply: '{{stdout}}' },
    })).toEqual([]);
  });

  it('refuses what could not run or would leak, naming each place', () => {
    expect(problems({
      both: { description: 'x', http: { url: 'https://a.example' }, runbook: { name: 'x' } },
      neither: { description: 'x' },
      host: { description: 'x', args: [{ name: 'h', type: 'string' }], http: { url: 'https://{{args.h}}.example.com/' } },
      ftp: { description: 'x', http: { url: 'ftp://files.example.com/x' } },
      leak: { description: 'x', http: { method: 'POST', url: 'https://a.example/{{secret.TOKEN}}', body: 'token={{secret.TOKEN}}' }, reply: '{{exitCode}}' },
      get: { description: 'x', http: { url: 'https://a.example/', json: { a: 1 } } },
    })).toEqual([
      'commands.both: needs exactly one action (expected http or runbook, not both)',
      'commands.neither: needs exactly one action (expected http or runbook, not both)',
      'commands.host.http.url: is not a usable URL (expected an absolute http(s) URL whose scheme, host and port are written out; references may stand in the path and query only)',
      'commands.ftp.http.url: uses ftp: (expected http: or https:)',
      'commands.leak.http.url: {{secret.TOKEN}} cannot stand here (expected a secret only in an HTTP header value, where the host substitutes it)',
      'commands.leak.http.body: {{secret.TOKEN}} cannot stand here (expected a secret only in an HTTP header value, where the host substitutes it)',
      'commands.leak.reply: {{exitCode}} is not known here (expected one of {{args}}, {{user}}, {{channel}}, {{status}}, {{body}}, {{json}}, {{headers}})',
      'commands.get.http.method: a GET request cannot have a body (expected POST, PUT, PATCH or DELETE with json or body)',
    ]);
  });

  it('binds secrets to the host of the URL, with its port when it is not the default', () => {
    const http = { method: 'GET' as const, url: 'https://status.example.com:8443/x/{{args.a}}', headers: { authorization: 'Bearer {{secret.B}} {{secret.A}}', 'x-id': '{{secret.A}}' } };
    expect(grantHostOf(http)).toBe('status.example.com:8443');
    expect(secretsOf(http)).toEqual(['A', 'B']);
  });
});
