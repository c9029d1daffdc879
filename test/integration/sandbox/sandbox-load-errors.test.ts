import { describe, expect, it } from 'vitest';
import { code, noCapabilities, noContext, startHost } from './sandbox-fixture.js';

describe('SandboxHost.load', () => {
  it.each([
    ['a syntax error', 'export default {', 'broken: SyntaxError: Unexpected end of input [index.js:1:17]'],
    ['an import statement', 'import fs from "node:fs";\nexport default {};', 'broken: imports are not allowed; index.js must be one self-contained module (it imports "node:fs")'],
    ['a re-export', 'export * from "./other.js";', 'broken: imports are not allowed; index.js must be one self-contained module (it imports "./other.js")'],
    ['a missing default export', 'export const commands = {};', 'broken: index.js has no default export (expected export default { commands: { ... } })'],
    ['a default export that is not an object', 'export default function () {}', 'broken: the default export must be an object, got a function'],
    ['an array as default export', 'export default [];', 'broken: the default export must be an object, got an array'],
    ['commands that are not an object', 'export default { commands: 5 };', 'broken: default.commands must be an object of functions, got a number'],
    ['a command that is not a function', 'export default { commands: { deploy: "yes" } };', 'broken: default.commands.deploy must be a function, got a string'],
    ['an onWebhook that is not a function', 'export default { onWebhook: {} };', 'broken: default.onWebhook must be a function, got an object'],
    ['a top-level throw', 'throw new TypeError("no config");', 'broken: top-level code threw: TypeError: no config'],
    ['a top-level throw of a non-Error', 'throw 42;', 'broken: top-level code threw: 42'],
    ['a getter that throws', 'export default { get commands() { throw new Error("nope"); } };', 'broken: reading the default export threw: nope'],
    ['a top-level await that never finishes', 'await new Promise(() => {});\nexport default {};', 'broken: top-level await is not supported (do asynchronous setup in setup(ctx))'],
    ['a timer set at top level', 'setTimeout(() => {}, 10);\nexport default {};', 'broken: top-level code threw: timers can only be set while a call is running; use ctx.schedule for later work'],
  ])('reports %s', async (_, source, message) => {
    const { host } = startHost({ runners: 1 });
    await expect(host.load(code('broken', source))).rejects.toMatchObject({ code: 'E_PLUGIN_LOAD', message });
    await expect(host.call('broken', { kind: 'command', name: 'x' }, noContext, {}, noCapabilities)).rejects.toMatchObject({ code: 'E_NOT_FOUND' });
  });

  it('lists only function names under default.commands, so a command without a function is visible to the caller', async () => {
    const { host } = startHost({ runners: 1 });
    const report = await host.load(code('partial', 'export default { commands: { status() { return "ok"; } } };'));
    expect(report.commands).toEqual(['status']);
    await expect(host.call('partial', { kind: 'command', name: 'deploy' }, noContext, {}, noCapabilities))
      .rejects.toMatchObject({ code: 'E_NOT_FOUND', message: 'partial has no command deploy' });
  });

  it('stops top-level code that runs past its CPU limit', async () => {
    const { host } = startHost({ runners: 1 });
    await expect(host.load(code('spinner', 'for (;;) {}\nexport default {};', { cpuMs: 100 })))
      .rejects.toMatchObject({ code: 'E_PLUGIN_LOAD', message: 'spinner: top-level code used more than 100 ms of CPU' });
  });

  it('stops top-level code that runs out of memory, and the runner carries on', async () => {
    const { host } = startHost({ runners: 1 });
    await expect(host.load(code('hog', 'const keep = []; for (;;) keep.push(new Array(100000).fill(1.5));\nexport default {};', { memoryMb: 16, cpuMs: 5000 })))
      .rejects.toMatchObject({ code: 'E_PLUGIN_LOAD', message: 'hog: top-level code ran out of memory (limit 16 MB)' });
    await host.load(code('fine', 'export default { commands: { ok() { return "ok"; } } };'));
    await expect(host.call('fine', { kind: 'command', name: 'ok' }, noContext, {}, noCapabilities)).resolves.toBe('ok');
    expect(host.stats().runners[0]?.restarts).toBe(0);
  });

  it('refuses bad plugin code before anything reaches a runner', async () => {
    const { host } = startHost({ runners: 1 });
    await expect(host.load(code('Bad Name', 'export default {};'))).rejects.toMatchObject({
      code: 'E_PLUGIN_LOAD', message: '"Bad Name": a plugin name must match ^[a-z][a-z0-9-]{1,39}$',
    });
    await expect(host.load(code('tiny', 'export default {};', { memoryMb: 4 }))).rejects.toMatchObject({
      code: 'E_PLUGIN_LOAD', message: 'tiny: limits.memoryMb must be a number from 8 to 4096, got 4',
    });
    await expect(host.load({ name: 'nosrc', version: '1', source: undefined as unknown as string, limits: { memoryMb: 32, cpuMs: 100, wallMs: 1000 } }))
      .rejects.toMatchObject({ code: 'E_PLUGIN_LOAD', message: 'nosrc: source must be the text of index.js' });
    expect(host.stats().runners).toEqual([]);
  });
});
