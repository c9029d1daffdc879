import { UserError } from '../../core/errors.js';

/** Deeper than any sensible stored value; keeps the walk far from the stack limit. */
const MAX_DEPTH = 64;
/** Keys that would reach or replace an object's prototype in code that merges the value later. */
const FORBIDDEN_KEYS = new Set(['__proto__', 'constructor', 'prototype']);

function refuse(path: string, problem: string): never {
  throw new UserError('E_BAD_ARGS', `storage: the value ${path === '' ? '' : `at ${path} `}${problem}; store plain JSON data (objects, arrays, strings, finite numbers, booleans, null)`);
}

function typeName(value: object): string {
  const name = (Object.getPrototypeOf(value) as { constructor?: { name?: unknown } } | null)?.constructor?.name;
  return typeof name === 'string' && name !== '' ? `a ${name}` : 'an object with a custom prototype';
}

function isPlainObject(value: object): boolean {
  const proto: unknown = Object.getPrototypeOf(value);
  return proto === Object.prototype || proto === null;
}

class PlainJsonWalker {
  readonly #ancestors = new Set<object>();

  check(value: unknown, path: string, depth: number): void {
    switch (typeof value) {
      case 'string':
      case 'boolean':
        return;
      case 'number':
        if (!Number.isFinite(value)) refuse(path, `is ${String(value)}, which JSON cannot hold`);
        return;
      case 'undefined':
        if (depth === 0) refuse(path, 'is undefined');
        return;
      case 'object':
        if (value !== null) this.checkObject(value, path, depth);
        return;
      default:
        refuse(path, `is a ${typeof value}`);
    }
  }

  private checkObject(value: object, path: string, depth: number): void {
    if (depth >= MAX_DEPTH) refuse(path, `nests deeper than ${MAX_DEPTH} levels`);
    if (this.#ancestors.has(value)) refuse(path, 'refers to itself (a cycle)');
    const isArray = Array.isArray(value);
    if (!isArray && !isPlainObject(value)) refuse(path, `is ${typeName(value)}, not a plain object`);
    if (Object.getOwnPropertySymbols(value).length > 0) refuse(path, 'has symbol keys');
    this.#ancestors.add(value);
    if (isArray) this.checkArray(value as unknown[], path, depth);
    else this.checkEntries(value as Record<string, unknown>, path, depth);
    this.#ancestors.delete(value);
  }

  private checkArray(items: unknown[], path: string, depth: number): void {
    for (let index = 0; index < items.length; index += 1) this.check(items[index], `${path}[${index}]`, depth + 1);
  }

  private checkEntries(object: Record<string, unknown>, path: string, depth: number): void {
    for (const key of Object.keys(object)) {
      const at = `${path}${path === '' ? '' : '.'}${key}`;
      if (FORBIDDEN_KEYS.has(key)) refuse(path, `has the key "${key}", which is not allowed`);
      const descriptor = Object.getOwnPropertyDescriptor(object, key);
      if (descriptor?.get !== undefined || descriptor?.set !== undefined) refuse(at, 'is an accessor property');
      this.check(object[key], at, depth + 1);
    }
  }
}

/**
 * The JSON text of a plain-data value, or an E_BAD_ARGS saying where it is not plain data.
 * Nested `undefined` follows JSON: an object property is dropped, an array item becomes null.
 */
export function toPlainJson(value: unknown): string {
  new PlainJsonWalker().check(value, '', 0);
  return JSON.stringify(value);
}
