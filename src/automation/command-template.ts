/**
 * The `{{args.service}}` templates of commands defined in the configuration: plain substitution, no logic, so what
 * a command sends and answers can be read off the configuration file.
 */

const REFERENCE = /\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*\}\}/g;

/** Where a template stands decides what it may refer to. */
export interface TemplateScope {
  /** The declared argument names: `args.<name>` must be one of them. */
  args: readonly string[];
  /** Roots allowed besides `args`, `user` and `channel`, such as `status`, `json`, `stdout`, `secret`. */
  roots: readonly string[];
}

const ALWAYS = ['args', 'user', 'channel'];
const USER_KEYS = ['name', 'id'];

/** The references of a template as dotted paths, in order: `["args","service"]`. */
export function referencesOf(template: string): string[][] {
  return [...template.matchAll(REFERENCE)].map((m) => (m[1] as string).split('.'));
}

/** True when the whole template is exactly one reference, so a typed value (a number) can stand for it. */
export function soleReference(template: string): string[] | undefined {
  const match = /^\{\{\s*([A-Za-z_][A-Za-z0-9_]*(?:\.[A-Za-z0-9_-]+)*)\s*\}\}$/.exec(template);
  return match ? (match[1] as string).split('.') : undefined;
}

/** Every problem of a template in a scope, one sentence each; empty when it is fine. */
export function templateProblems(template: string, scope: TemplateScope): string[] {
  const problems: string[] = [];
  const leftover = template.replace(REFERENCE, '');
  if (leftover.includes('{{') || leftover.includes('}}')) {
    problems.push('has a {{ or }} that is not a reference (expected references such as {{args.service}}: letters, digits, _ and -, joined by dots)');
  }
  for (const path of referencesOf(template)) problems.push(...referenceProblems(path, scope));
  return problems;
}

function referenceProblems(path: string[], scope: TemplateScope): string[] {
  const [root, key, ...rest] = path as [string, string | undefined, ...string[]];
  const shown = `{{${path.join('.')}}}`;
  if (root === 'args') {
    if (key === undefined || rest.length > 0) return [`${shown} must name one argument (expected {{args.<name>}}, such as {{args.${scope.args[0] ?? 'service'}}})`];
    if (!scope.args.includes(key)) {
      return [`${shown} refers to no declared argument (expected ${scope.args.length > 0 ? `one of: ${scope.args.join(', ')}` : 'no {{args...}}: the command declares no arguments'})`];
    }
    return [];
  }
  if (root === 'user' || root === 'channel') {
    return key === undefined || (rest.length === 0 && USER_KEYS.includes(key)) ? [] : [`${shown} is not known (expected {{${root}}}, {{${root}.name}} or {{${root}.id}})`];
  }
  if (root === 'secret') {
    if (!scope.roots.includes('secret')) return [`${shown} cannot stand here (expected a secret only in an HTTP header value, where the host substitutes it)`];
    return key !== undefined && rest.length === 0 && /^[A-Z][A-Z0-9_]*$/.test(key) ? [] : [`${shown} is not a secret reference (expected one upper-case secret, such as {{secret.STATUS_TOKEN}})`];
  }
  if (!scope.roots.includes(root)) {
    const allowed = [...ALWAYS, ...scope.roots.filter((r) => r !== 'secret')].map((r) => `{{${r}}}`).join(', ');
    return [`${shown} is not known here (expected one of ${allowed})`];
  }
  return [];
}

/** What a template can refer to when it is rendered. */
export type TemplateValues = Record<string, unknown>;

/** The value a reference names, or undefined; walks objects and arrays by key and index. */
export function lookup(values: TemplateValues, path: readonly string[]): unknown {
  let value: unknown = values;
  for (const key of path) {
    if (value === null || typeof value !== 'object') return undefined;
    if (!Object.hasOwn(value, key)) return undefined;
    value = (value as Record<string, unknown>)[key];
  }
  if (path.length === 1 && (path[0] === 'user' || path[0] === 'channel') && typeof value === 'object' && value !== null) {
    return (value as { name?: unknown }).name;
  }
  return value;
}

/** A value as template text: strings as they are, nothing for an absent value, compact JSON for objects. */
export function textOf(value: unknown): string {
  if (value === undefined || value === null) return '';
  if (typeof value === 'string') return value;
  if (typeof value === 'number' || typeof value === 'boolean') return String(value);
  return JSON.stringify(value);
}

/** The template with each reference replaced by its value, passed through `encode` (URL parts encode it). */
export function render(template: string, values: TemplateValues, encode: (text: string) => string = (t) => t): string {
  return template.replace(REFERENCE, (_, path: string) => encode(textOf(lookup(values, path.split('.')))));
}
