import { describe, expect, it } from 'vitest';
import { code, noContext, recordingHandler, startHost } from './sandbox-fixture.js';

// ECMAScript and Intl globals V8 puts in every context, plus `console` (a no-op without an inspector).
const STANDARD_GLOBALS = [
  'AggregateError', 'Array', 'ArrayBuffer', 'BigInt', 'BigInt64Array', 'BigUint64Array', 'Boolean', 'DataView', 'Date', 'Error',
  'EvalError', 'FinalizationRegistry', 'Float32Array', 'Float64Array', 'Function', 'Infinity', 'Int16Array', 'Int32Array', 'Int8Array',
  'Intl', 'Iterator', 'JSON', 'Map', 'Math', 'NaN', 'Number', 'Object', 'Promise', 'Proxy', 'RangeError', 'ReferenceError', 'Reflect',
  'RegExp', 'Set', 'String', 'Symbol', 'SyntaxError', 'TypeError', 'URIError', 'Uint16Array', 'Uint32Array', 'Uint8Array',
  'Uint8ClampedArray', 'WeakMap', 'WeakRef', 'WeakSet', 'console', 'decodeURI', 'decodeURIComponent', 'encodeURI',
  'encodeURIComponent', 'escape', 'eval', 'globalThis', 'isFinite', 'isNaN', 'parseFloat', 'parseInt', 'undefined', 'unescape',
];
const SANDBOX_GLOBALS = ['clearInterval', 'clearTimeout', 'queueMicrotask', 'setInterval', 'setTimeout'];

// Walks every object reachable from a root through own property descriptors (values, getters, setters) and
// prototypes, without calling any getter; returns the native functions it meets.
const WALKER = `
  function nativesFrom(root, seen) {
    const natives = new Set();
    const queue = [root];
    const fnToString = Function.prototype.toString;
    while (queue.length > 0) {
      const value = queue.pop();
      if ((typeof value !== 'object' && typeof value !== 'function') || value === null || seen.has(value)) continue;
      seen.add(value);
      if (typeof value === 'function' && /\\{ \\[native code\\] \\}$/.test(fnToString.call(value))) natives.add(value);
      queue.push(Object.getPrototypeOf(value));
      for (const key of Reflect.ownKeys(value)) {
        const d = Object.getOwnPropertyDescriptor(value, key);
        if (d === undefined) continue;
        queue.push(d.value, d.get, d.set);
      }
    }
    return natives;
  }
`;

describe('SandboxHost isolation', () => {
  it('leaves plugin code no Reference, host function or Node global to reach', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(code('prober', `${WALKER}
      export default { commands: { probe(ctx) {
        const global = ctx.constructor.constructor('return this')();
        const builtins = nativesFrom(globalThis, new Set());
        const fromCtx = [...nativesFrom(ctx, new Set())].filter((fn) => !builtins.has(fn));
        const bridges = [...builtins, ...fromCtx].filter((fn) => fn.name === 'opsroomBridge');
        return {
          sameGlobal: global === globalThis,
          globals: Object.getOwnPropertyNames(globalThis).sort(),
          unknownNatives: fromCtx.length + bridges.length,
          nodeThings: [typeof require, typeof process, typeof Buffer, typeof ivm, typeof $0, typeof fetch, typeof WebAssembly, typeof SharedArrayBuffer, typeof Atomics],
          evalWorks: eval('1 + 1') === 2 && new Function('a', 'return a * 2')(4) === 8,
        };
      } } };`));
    const result = await host.call('prober', { kind: 'command', name: 'probe' }, { invocation: undefined, secrets: { A: 'x' } }, {}, recordingHandler().handler) as {
      sameGlobal: boolean; globals: string[]; unknownNatives: number; nodeThings: string[]; evalWorks: boolean;
    };
    expect(result.sameGlobal).toBe(true);
    expect(result.globals.filter((name) => !STANDARD_GLOBALS.includes(name))).toEqual(SANDBOX_GLOBALS);
    expect(result.unknownNatives).toBe(0);
    expect(result.nodeThings.every((type) => type === 'undefined')).toBe(true);
    expect(result.evalWorks).toBe(true);
  });

  it('hands out no functions or receivers through stack-trace call sites', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(code('stacker', `
      export default { commands: { async probe(ctx) {
        const leaked = [];
        Error.prepareStackTrace = (error, sites) => {
          for (const site of sites) {
            const fn = site.getFunction();
            const self = site.getThis();
            if (fn !== undefined) leaked.push(String(site.getFunctionName()));
            if (self !== undefined && self !== globalThis) leaked.push('this of ' + String(site.getFunctionName()));
          }
          return '';
        };
        const probeArgs = { toJSON() { new Error('inside').stack; return 1; } };
        await ctx.reply(probeArgs);
        try { ctx.secret('NOPE'); } catch (error) { error.stack; }
        return leaked.filter((name) => name !== 'toJSON' && name !== 'this of toJSON');
      } } };`));
    await expect(host.call('stacker', { kind: 'command', name: 'probe' }, noContext, {}, recordingHandler().handler)).resolves.toEqual([]);
  });

  it('keeps one plugin from seeing another, even in the same runner', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(code('writer', 'export default { commands: { write() { globalThis.shared = "from writer"; Object.prototype.polluted = 1; } } };'));
    await host.load(code('reader', 'export default { commands: { read() { return [typeof globalThis.shared, typeof ({}).polluted]; } } };'));
    await host.call('writer', { kind: 'command', name: 'write' }, noContext, {}, recordingHandler().handler);
    await expect(host.call('reader', { kind: 'command', name: 'read' }, noContext, {}, recordingHandler().handler)).resolves.toEqual(['undefined', 'undefined']);
  });

  it('is not fooled by a plugin that patches built-ins the bridge uses', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(code('patcher', `
      export default { commands: { async patch(ctx) {
        JSON.stringify = () => '"forged"';
        JSON.parse = () => 'forged';
        Promise.prototype.then = function () { throw new Error('patched then'); };
        Object.freeze = (x) => x;
        return 'real';
      } } };`));
    await expect(host.call('patcher', { kind: 'command', name: 'patch' }, noContext, {}, recordingHandler().handler)).resolves.toBe('real');
  });

  it('drops __proto__ keys from what plugin code sends out', async () => {
    const { host } = startHost({ runners: 1 });
    await host.load(code('proto', `
      export default { commands: { async send(ctx) {
        await ctx.storage.set('k', JSON.parse('{"__proto__": {"admin": true}, "plain": 1}'));
        return JSON.parse('{"__proto__": {"admin": true}, "ok": 1}');
      } } };`));
    const { handler, calls } = recordingHandler();
    const result = await host.call('proto', { kind: 'command', name: 'send' }, noContext, {}, handler) as Record<string, unknown>;
    expect(Object.keys(result)).toEqual(['ok']);
    expect(Object.getPrototypeOf(result)).toBe(Object.prototype);
    expect(Object.assign({}, calls[0]?.args[1])).toEqual({ plain: 1 });
    expect(({} as Record<string, unknown>).admin).toBeUndefined();
  });
});
