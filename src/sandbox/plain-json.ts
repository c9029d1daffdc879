/** JSON that crossed from plugin code: parsed into plain data, with `__proto__` keys dropped. */

const PROTO_KEY = '"__proto__"';

function dropProtoKeys(this: unknown, key: string, value: unknown): unknown {
  return key === '__proto__' ? undefined : value;
}

/** Parses JSON text produced in an isolate. A `__proto__` key would become an own property that `Object.assign` later treats as a prototype; it is dropped. */
export function parsePlainJson(text: string): unknown {
  // The reviver is slow; plugin output almost never contains the key, so it runs only when it does.
  return text.includes(PROTO_KEY) ? JSON.parse(text, dropProtoKeys) : JSON.parse(text);
}

export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
