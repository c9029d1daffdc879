import type { ZodIssue } from 'zod';

/** `commands[0].args[1].type` from a zod path. */
export function formatPath(path: ReadonlyArray<string | number>): string {
  let out = '';
  for (const part of path) {
    if (typeof part === 'number') out += `[${part}]`;
    else out += out.length === 0 ? part : `.${part}`;
  }
  return out.length === 0 ? '(top level)' : out;
}

function describe(issue: ZodIssue): string {
  switch (issue.code) {
    case 'invalid_type':
      return issue.received === 'undefined'
        ? `missing (expected ${issue.expected})`
        : `wrong type (expected ${issue.expected}, got ${issue.received})`;
    case 'unrecognized_keys':
      return `unknown key${issue.keys.length > 1 ? 's' : ''} ${issue.keys.map((k) => `"${k}"`).join(', ')} (expected only known keys; check the spelling)`;
    case 'invalid_enum_value':
      return `${JSON.stringify(issue.received)} is not allowed (expected one of ${issue.options.join(', ')})`;
    case 'invalid_literal':
      return `wrong value (expected ${JSON.stringify(issue.expected)})`;
    case 'too_small':
      return `too small (expected ${issue.type === 'string' ? 'at least ' + String(issue.minimum) + ' characters' : issue.type === 'array' ? 'at least ' + String(issue.minimum) + ' items' : '>= ' + String(issue.minimum)})`;
    case 'too_big':
      return `too big (expected ${issue.type === 'string' ? 'at most ' + String(issue.maximum) + ' characters' : issue.type === 'array' ? 'at most ' + String(issue.maximum) + ' items' : '<= ' + String(issue.maximum)})`;
    case 'invalid_string':
      return `${issue.message === 'Invalid' ? 'invalid format' : issue.message} (expected ${typeof issue.validation === 'string' ? issue.validation : 'a valid string'})`;
    case 'invalid_union':
      return `none of the allowed forms matches (expected ${issue.unionErrors.map((e) => e.issues.map((i) => formatPath(i.path.slice(-1))).join('+')).join(' or ')})`;
    default:
      return issue.message;
  }
}

/** Every zod issue as `path: what is wrong (expected ...)`, with an optional prefix such as `plugin.json: `. */
export function formatIssues(issues: readonly ZodIssue[], prefix = ''): string[] {
  return issues.map((issue) => {
    const message = issue.code === 'custom' || issue.code === 'invalid_string' && issue.validation === 'regex'
      ? `${issue.message.includes('(expected') ? issue.message : `invalid value (expected ${issue.message})`}`
      : describe(issue);
    return `${prefix}${formatPath(issue.path)}: ${message}`;
  });
}
