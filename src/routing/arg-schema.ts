import { ARG_TYPES, type ArgSpec } from '../core/command.js';
import { OpsroomError } from '../core/errors.js';

/** An argument list prepared for binding: flags by name, positionals in order. */
export interface ArgSchema {
  readonly specs: readonly ArgSpec[];
  readonly flags: ReadonlyMap<string, ArgSpec>;
  readonly positionals: readonly ArgSpec[];
  /** The last positional when it is of type `rest`. */
  readonly rest: ArgSpec | undefined;
  /** `--ref, --lines`, for error messages. */
  readonly flagList: string;
}

const NAME = /^[A-Za-z][A-Za-z0-9_-]{0,39}$/;

// Schemas come from manifests loaded once and never edited, so the prepared form is kept per array.
const prepared = new WeakMap<readonly ArgSpec[], ArgSchema>();

/** The prepared schema of an argument list; throws `E_INTERNAL` when the list itself is invalid (a command's bug, not the caller's). */
export function schemaOf(specs: readonly ArgSpec[]): ArgSchema {
  let schema = prepared.get(specs);
  if (schema === undefined) {
    const problems = validateArgSpecs(specs);
    if (problems.length > 0) {
      throw new OpsroomError('E_INTERNAL', `invalid argument schema: ${problems.join('; ')}`);
    }
    schema = prepare(specs);
    prepared.set(specs, schema);
  }
  return schema;
}

function prepare(specs: readonly ArgSpec[]): ArgSchema {
  const flags = new Map<string, ArgSpec>();
  const positionals: ArgSpec[] = [];
  for (const spec of specs) {
    if (spec.flag === true) flags.set(spec.name, spec);
    else positionals.push(spec);
  }
  const last = positionals[positionals.length - 1];
  const flagList = [...flags.keys()].map((name) => `--${name}`).join(', ');
  return { specs, flags, positionals, rest: last?.type === 'rest' ? last : undefined, flagList };
}

/** Every problem of an argument list as declared in a manifest, one sentence each; empty when it is valid. */
export function validateArgSpecs(specs: readonly ArgSpec[]): string[] {
  const problems: string[] = [];
  const names = new Set<string>();
  let optional: string | undefined;
  specs.forEach((spec, index) => {
    const label = typeof spec.name === 'string' ? `argument "${spec.name}"` : `argument ${index + 1}`;
    problems.push(...problemsOf(spec, label));
    if (names.has(spec.name)) problems.push(`${label} is declared twice`);
    names.add(spec.name);
    if (spec.flag === true) return;
    if (spec.type === 'rest' && specs.slice(index + 1).some((s) => s.flag !== true)) {
      problems.push(`${label} is of type rest, so it must be the last positional argument`);
    }
    if (spec.required === true && optional !== undefined) {
      problems.push(`required ${label} cannot follow optional argument "${optional}"`);
    }
    if (spec.required !== true) optional ??= spec.name;
  });
  problems.push(...negationClashes(specs));
  return problems;
}

function problemsOf(spec: ArgSpec, label: string): string[] {
  const problems: string[] = [];
  if (typeof spec.name !== 'string' || !NAME.test(spec.name)) {
    problems.push(`${label}: a name starts with a letter and holds at most 40 letters, digits, - and _`);
  }
  if (!ARG_TYPES.includes(spec.type)) {
    problems.push(`${label}: unknown type "${String(spec.type)}" (types: ${ARG_TYPES.join(', ')})`);
    return problems;
  }
  if (spec.type === 'rest' && spec.flag === true) problems.push(`${label}: a rest argument cannot be a flag`);
  problems.push(...valuesProblems(spec, label));
  const defaultProblem = spec.default === undefined ? undefined : defaultProblemOf(spec);
  if (defaultProblem !== undefined) problems.push(`${label}: ${defaultProblem}`);
  return problems;
}

function valuesProblems(spec: ArgSpec, label: string): string[] {
  if (spec.type !== 'enum') return spec.values === undefined ? [] : [`${label}: values only apply to enum arguments`];
  const values: unknown = spec.values;
  if (!Array.isArray(values) || values.length === 0) return [`${label}: an enum needs a non-empty list of values`];
  if (values.some((v) => typeof v !== 'string' || v.length === 0)) return [`${label}: enum values must be non-empty strings`];
  return new Set(values).size === values.length ? [] : [`${label}: enum values must be distinct`];
}

function defaultProblemOf(spec: ArgSpec): string | undefined {
  const value = spec.default;
  switch (spec.type) {
    case 'int':
      return Number.isSafeInteger(value) ? undefined : `the default must be a whole number (got ${JSON.stringify(value)})`;
    case 'number':
      return Number.isFinite(value) ? undefined : `the default must be a finite number (got ${JSON.stringify(value)})`;
    case 'bool':
      return typeof value === 'boolean' ? undefined : `the default must be true or false (got ${JSON.stringify(value)})`;
    case 'enum':
      return typeof value === 'string' && (spec.values ?? []).includes(value) ? undefined : 'the default must be one of the values';
    default:
      return typeof value === 'string' ? undefined : `the default must be a string (got ${JSON.stringify(value)})`;
  }
}

/** `--no-x` negates a bool flag `x`, so a flag literally named `no-x` beside it would be ambiguous. */
function negationClashes(specs: readonly ArgSpec[]): string[] {
  const bools = new Set(specs.filter((s) => s.flag === true && s.type === 'bool').map((s) => s.name));
  return specs
    .filter((s) => s.flag === true && typeof s.name === 'string' && s.name.startsWith('no-') && bools.has(s.name.slice(3)))
    .map((s) => `flag "${s.name}" clashes with the negation of bool flag "${s.name.slice(3)}"`);
}
