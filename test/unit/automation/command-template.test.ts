import { describe, expect, it } from 'vitest';
import { lookup, render, soleReference, templateProblems } from '../../../src/automation/command-template.js';

const scope = { args: ['service', 'lines'], roots: ['status', 'json'] };

describe('command templates', () => {
  it('renders references, nothing for an absent value and compact JSON for objects', () => {
    const values = { args: { service: 'web' }, user: { name: 'Alice', id: 'local:user:alice' }, json: { state: 'up', checks: [{ ok: true }] }, status: 200 };
    expect(render('{{args.service}} is {{ json.state }} ({{status}}) for {{user}} [{{args.lines}}] {{json.checks}}', values))
      .toBe('web is up (200) for Alice [] [{"ok":true}]');
    expect(render('/status/{{args.service}}', { args: { service: 'a b/c' } }, encodeURIComponent)).toBe('/status/a%20b%2Fc');
    expect(lookup({ json: { items: [{ name: 'x' }] } }, ['json', 'items', '0', 'name'])).toBe('x');
    expect(lookup({ json: {} }, ['json', 'constructor'])).toBeUndefined();
  });

  it('tells a whole-value reference, which keeps its type, from text around one', () => {
    expect(soleReference('{{args.lines}}')).toEqual(['args', 'lines']);
    expect(soleReference('n={{args.lines}}')).toBeUndefined();
  });

  it('names every reference that cannot be filled', () => {
    expect(templateProblems('{{args.nope}} {{args}} {{secret.TOKEN}} {{stdout}} {{user.email}} {{oops', scope)).toEqual([
      'has a {{ or }} that is not a reference (expected references such as {{args.service}}: letters, digits, _ and -, joined by dots)',
      '{{args.nope}} refers to no declared argument (expected one of: service, lines)',
      '{{args}} must name one argument (expected {{args.<name>}}, such as {{args.service}})',
      '{{secret.TOKEN}} cannot stand here (expected a secret only in an HTTP header value, where the host substitutes it)',
      '{{stdout}} is not known here (expected one of {{args}}, {{user}}, {{channel}}, {{status}}, {{json}})',
      '{{user.email}} is not known (expected {{user}}, {{user.name}} or {{user.id}})',
    ]);
    expect(templateProblems('Bearer {{secret.STATUS_TOKEN}}', { args: [], roots: ['secret'] })).toEqual([]);
  });
});
