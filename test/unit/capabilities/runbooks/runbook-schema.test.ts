import { describe, expect, it } from 'vitest';
import { BUNDLED_RUNBOOKS } from '../../../../src/config/bundled-defaults.js';
import { validateConfig } from '../../../../src/config/load-config.js';
import { ConfigError } from '../../../../src/core/errors.js';

function problemsOf(runbooks: unknown): string[] {
  try {
    validateConfig({ runbooks }, 'opsroom.yaml');
  } catch (error) {
    if (error instanceof ConfigError) return error.problems;
    throw error;
  }
  return [];
}

describe('the runbooks configuration section', () => {
  it('defaults to the bundled demo runbooks, and fills each runbook\'s defaults', () => {
    expect(Object.keys(validateConfig({}, 'test').runbooks).sort()).toEqual(Object.keys(BUNDLED_RUNBOOKS).sort());
    expect(validateConfig({ runbooks: {} }, 'test').runbooks).toEqual({});
    const config = validateConfig({ runbooks: { 'restart-app': { argv: ['/usr/local/bin/restart', '{app}'], params: { app: { type: 'string' } } } } }, 'test');
    expect(config.runbooks['restart-app']).toEqual({
      argv: ['/usr/local/bin/restart', '{app}'], params: { app: { type: 'string' } }, timeoutMs: 60_000, env: [], maxOutputKb: 64, risk: 'low',
    });
  });

  it('reports a placeholder naming no declared parameter at its argv position', () => {
    expect(problemsOf({ 'restart-app': { argv: ['/bin/restart', '{app}', '{env}'], params: { app: { type: 'string' } } } }))
      .toEqual(['runbooks.restart-app.argv[2]: {env} refers to no declared parameter (expected one of {app})']);
    expect(problemsOf({ x: { argv: ['/bin/x', '{a}'] } })).toEqual(['runbooks.x.argv[1]: {a} refers to no declared parameter (expected a parameter declared under params)']);
  });

  it('leaves argv text that is not exactly one placeholder alone', () => {
    expect(problemsOf({ x: { argv: ['/bin/x', '--ref={ref}', '{}', '{{.Names}}', '{ref}'], params: { ref: { type: 'string' } } } })).toEqual([]);
  });

  it('refuses a placeholder as the program, and a parameter no argv element uses', () => {
    expect(problemsOf({ x: { argv: ['{cmd}'], params: { cmd: { type: 'string' } } } })).toEqual([
      'runbooks.x.argv[0]: the program must be a fixed path or name (expected a program such as /usr/local/bin/restart-app, not a placeholder)',
      'runbooks.x.params.cmd: is never used (expected an argv element that is exactly {cmd})',
    ]);
  });

  it('checks each parameter declaration against its type', () => {
    const problems = problemsOf({
      x: {
        argv: ['/bin/x', '{a}', '{b}', '{c}', '{d}', '{e}', '{f}'],
        params: {
          a: { type: 'enum' },
          b: { type: 'string', values: ['x'] },
          c: { type: 'string', pattern: '[a-z' },
          d: { type: 'int', default: 1.5 },
          e: { type: 'enum', values: ['one'], default: 'two' },
          f: { type: 'string', pattern: '[a-z]+', default: 'ABC', required: false },
        },
      },
    });
    expect(problems).toEqual([
      'runbooks.x.params.a.values: missing (expected the allowed values of an enum parameter)',
      'runbooks.x.params.b.values: not allowed for a string parameter (expected values only with type enum)',
      expect.stringMatching(/^runbooks\.x\.params\.c\.pattern: not a valid regular expression: .*Unterminated character class/),
      'runbooks.x.params.d.default: the default 1.5 is not valid (expected a whole number)',
      'runbooks.x.params.e.default: the default "two" is not valid (expected one of one)',
      'runbooks.x.params.f.default: the default "ABC" does not match the pattern (expected a value matching [a-z]+)',
    ]);
    expect(problemsOf({ x: { argv: ['/bin/x', '{a}'], params: { a: { type: 'string', required: true, default: 'x' } } } }))
      .toEqual(['runbooks.x.params.a.default: a required parameter cannot have a default (expected required or default, not both)']);
  });

  it('refuses bad names, a relative folder, bad environment names and unknown keys', () => {
    expect(problemsOf({
      Restart: { argv: ['/bin/x'] },
      ok: { argv: ['/bin/x'], cwd: 'srv/app', env: ['KUBECONFIG', 'BAD-NAME'], shell: true },
      empty: { argv: [] },
    })).toEqual([
      'runbooks.Restart: invalid value (expected a lower-case runbook name such as restart-app)',
      'runbooks.ok.cwd: not an absolute path (expected a folder such as /srv/app)',
      'runbooks.ok.env[1]: invalid value (expected an environment variable name such as KUBECONFIG)',
      'runbooks.ok: unknown key "shell" (expected only known keys; check the spelling)',
      'runbooks.empty.argv: too small (expected at least 1 items)',
    ]);
  });
});
