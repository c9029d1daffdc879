import { UserError } from '../../core/errors.js';
import { PLACEHOLDER, compilePattern, type RunbookDefinition, type RunbookParam } from './runbook-schema.js';

const MAX_VALUE_CHARS = 4096;

function shown(value: unknown): string {
  if (typeof value === 'string') return JSON.stringify(value.length > 60 ? `${value.slice(0, 60)}…` : value);
  if (typeof value === 'number') return String(value);
  return value === null ? 'null' : Array.isArray(value) ? 'a list' : typeof value === 'object' ? 'an object' : typeof value;
}

class ParamBinder {
  constructor(private readonly runbook: string, private readonly definition: RunbookDefinition) {}

  private bad(param: string, problem: string): UserError {
    return new UserError('E_BAD_ARGS', `runbook ${this.runbook}: parameter "${param}" ${problem}`);
  }

  /** The parameter's value as argv text, or undefined when it is optional and absent. */
  valueOf(name: string, param: RunbookParam, given: unknown): string | undefined {
    if (given === undefined) {
      if (param.required) throw new UserError('E_BAD_ARGS', `runbook ${this.runbook}: the parameter "${name}" is required`);
      return param.default === undefined ? undefined : String(param.default);
    }
    const text = this.typed(name, param, given);
    if (text.length > MAX_VALUE_CHARS) throw this.bad(name, `is ${text.length} characters long (at most ${MAX_VALUE_CHARS})`);
    if (text.includes('\u0000')) throw this.bad(name, 'contains a NUL character');
    const matched = param.pattern !== undefined && compilePattern(param.pattern).test(text);
    if (param.pattern !== undefined && !matched) throw this.bad(name, `does not match the pattern ${param.pattern}, got ${shown(given)}`);
    // A program reads a leading dash as an option; only the operator's own pattern or enum may allow one.
    if (text.startsWith('-') && !matched && param.type !== 'enum') {
      throw this.bad(name, `may not start with "-" (a program would read it as an option), got ${shown(given)}; the runbook's pattern must allow it explicitly`);
    }
    return text;
  }

  private typed(name: string, param: RunbookParam, given: unknown): string {
    switch (param.type) {
      case 'int':
        return this.int(name, given);
      case 'enum':
        if (typeof given !== 'string' || !param.values?.includes(given)) throw this.bad(name, `must be one of ${param.values?.join(', ')}, got ${shown(given)}`);
        return given;
      default:
        if (typeof given !== 'string') throw this.bad(name, `must be a string, got ${shown(given)}`);
        return given;
    }
  }

  private int(name: string, given: unknown): string {
    const value = typeof given === 'string' && /^-?\d+$/.test(given.trim()) ? Number(given.trim()) : given;
    if (typeof value !== 'number' || !Number.isFinite(value)) throw this.bad(name, `must be a whole number, got ${shown(given)}`);
    if (!Number.isInteger(value)) throw this.bad(name, `must be a whole number, got ${shown(given)}`);
    if (!Number.isSafeInteger(value)) throw this.bad(name, `is too large, got ${shown(given)}`);
    return String(value);
  }
}

function checkParamsObject(runbook: string, params: unknown): Record<string, unknown> {
  const proto: unknown = typeof params === 'object' && params !== null ? Object.getPrototypeOf(params) : undefined;
  if (Array.isArray(params) || (proto !== Object.prototype && proto !== null)) {
    throw new UserError('E_BAD_ARGS', `runbook ${runbook}: parameters must be an object of name -> value, got ${shown(params)}`);
  }
  return params as Record<string, unknown>;
}

/**
 * The argv to spawn: parameters validated against their declarations and substituted only where an
 * element is exactly `{name}`; an optional parameter with no value and no default drops its element.
 */
export function bindRunbookArgv(runbook: string, definition: RunbookDefinition, rawParams: unknown): string[] {
  const params = checkParamsObject(runbook, rawParams ?? {});
  const declared = Object.keys(definition.params);
  for (const name of Object.keys(params)) {
    if (!Object.hasOwn(definition.params, name)) {
      const takes = declared.length > 0 ? `its parameters are ${declared.join(', ')}` : 'it takes no parameters';
      throw new UserError('E_BAD_ARGS', `runbook ${runbook} has no parameter "${name}" (${takes})`);
    }
  }
  const binder = new ParamBinder(runbook, definition);
  const values = new Map<string, string | undefined>();
  for (const [name, param] of Object.entries(definition.params)) values.set(name, binder.valueOf(name, param, params[name]));
  const [program, ...rest] = definition.argv as [string, ...string[]];
  const args = rest.flatMap((element) => {
    const name = PLACEHOLDER.exec(element)?.[1];
    if (name === undefined || !values.has(name)) return [element];
    const value = values.get(name);
    return value === undefined ? [] : [value];
  });
  return [program, ...args];
}
