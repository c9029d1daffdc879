import { isAbsolute } from 'node:path';
import { z } from 'zod';

/** A parameter name, as it appears in an argv placeholder `{name}`. */
export const PARAM_NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;
/** An argv element that is exactly one placeholder; anything else in argv is literal. */
export const PLACEHOLDER = /^\{([A-Za-z][A-Za-z0-9_-]{0,39})\}$/;

const runbookName = z.string().regex(/^[a-z][a-z0-9-]*$/, 'a lower-case runbook name such as restart-app');
const envName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_]*$/, 'an environment variable name such as KUBECONFIG');

const paramSchema = z.object({
  type: z.enum(['string', 'int', 'enum']),
  description: z.string().optional(),
  values: z.array(z.string().min(1)).min(1).optional(),
  /** A regular expression source; it must match the whole value. */
  pattern: z.string().min(1).optional(),
  required: z.boolean().optional(),
  default: z.union([z.string(), z.number()]).optional(),
}).strict();

export type RunbookParam = z.infer<typeof paramSchema>;

/** The pattern as opsroom applies it: anchored at both ends, Unicode-aware. */
export function compilePattern(pattern: string): RegExp {
  return new RegExp(`^(?:${pattern})$`, 'u');
}

type Problem = { path: Array<string | number>; message: string };

function defaultProblem(param: RunbookParam): string | undefined {
  const value = param.default;
  if (value === undefined) return undefined;
  if (param.required) return 'a required parameter cannot have a default (expected required or default, not both)';
  if (param.type === 'int' && (typeof value !== 'number' || !Number.isSafeInteger(value))) return `the default ${JSON.stringify(value)} is not valid (expected a whole number)`;
  if (param.type !== 'int' && typeof value !== 'string') return `the default ${JSON.stringify(value)} is not valid (expected a string)`;
  if (param.type === 'enum' && !param.values?.includes(String(value))) return `the default ${JSON.stringify(value)} is not valid (expected one of ${param.values?.join(', ')})`;
  if (param.pattern !== undefined && !patternMatches(param.pattern, String(value))) return `the default ${JSON.stringify(value)} does not match the pattern (expected a value matching ${param.pattern})`;
  return undefined;
}

function patternMatches(pattern: string, value: string): boolean {
  try {
    return compilePattern(pattern).test(value);
  } catch {
    return true; // reported as a bad pattern instead
  }
}

function paramProblems(name: string, param: RunbookParam): Problem[] {
  const at = (key: string): Array<string | number> => ['params', name, key];
  const problems: Problem[] = [];
  if (!PARAM_NAME.test(name)) problems.push({ path: ['params', name], message: 'invalid parameter name (expected a letter, then letters, digits, _ or -, at most 40)' });
  if (param.type === 'enum' && param.values === undefined) problems.push({ path: at('values'), message: 'missing (expected the allowed values of an enum parameter)' });
  if (param.type !== 'enum' && param.values !== undefined) problems.push({ path: at('values'), message: `not allowed for a ${param.type} parameter (expected values only with type enum)` });
  if (param.type === 'enum' && param.pattern !== undefined) problems.push({ path: at('pattern'), message: 'not allowed for an enum parameter (expected values to list what is allowed)' });
  if (param.pattern !== undefined) {
    try {
      compilePattern(param.pattern);
    } catch (error) {
      problems.push({ path: at('pattern'), message: `not a valid regular expression: ${(error as Error).message} (expected a JavaScript regular expression source)` });
    }
  }
  const badDefault = defaultProblem(param);
  if (badDefault !== undefined) problems.push({ path: at('default'), message: badDefault });
  return problems;
}

function argvProblems(argv: string[], params: Record<string, RunbookParam>): Problem[] {
  const declared = Object.keys(params);
  const problems: Problem[] = [];
  if (argv[0] === '' || (argv[0] !== undefined && PLACEHOLDER.test(argv[0]))) {
    problems.push({ path: ['argv', 0], message: 'the program must be a fixed path or name (expected a program such as /usr/local/bin/restart-app, not a placeholder)' });
  }
  argv.forEach((element, index) => {
    if (element.includes('\u0000')) problems.push({ path: ['argv', index], message: 'contains a NUL character (expected text a program can receive)' });
    const placeholder = PLACEHOLDER.exec(element)?.[1];
    if (index > 0 && placeholder !== undefined && !Object.hasOwn(params, placeholder)) {
      const known = declared.length > 0 ? `one of {${declared.join('}, {')}}` : 'a parameter declared under params';
      problems.push({ path: ['argv', index], message: `{${placeholder}} refers to no declared parameter (expected ${known})` });
    }
  });
  for (const name of declared) {
    if (!argv.slice(1).includes(`{${name}}`)) {
      problems.push({ path: ['params', name], message: `is never used (expected an argv element that is exactly {${name}})` });
    }
  }
  return problems;
}

const runbookSchema = z.object({
  description: z.string().optional(),
  argv: z.array(z.string()).min(1),
  params: z.record(z.string(), paramSchema).default({}),
  timeoutMs: z.number().int().min(100).max(86_400_000).default(60_000),
  cwd: z.string().min(1).refine(isAbsolute, 'not an absolute path (expected a folder such as /srv/app)').optional(),
  /** Environment variables passed through from opsroom's own environment; nothing else is, except PATH. */
  env: z.array(envName).default([]),
  maxOutputKb: z.number().int().min(1).max(10_240).default(64),
  risk: z.enum(['low', 'medium', 'high']).default('low'),
}).strict().superRefine((runbook, ctx) => {
  const problems = [
    ...argvProblems(runbook.argv, runbook.params),
    ...Object.entries(runbook.params).flatMap(([name, param]) => paramProblems(name, param)),
  ];
  for (const problem of problems) ctx.addIssue({ code: 'custom', path: problem.path, message: problem.message });
});

/** The `runbooks` section of the configuration: operator-defined host actions plugins may be granted. */
export const runbooksSchema = z.record(runbookName, runbookSchema).default({});

export type RunbookDefinition = z.infer<typeof runbookSchema>;
export type RunbookDefinitionsConfig = z.infer<typeof runbooksSchema>;
