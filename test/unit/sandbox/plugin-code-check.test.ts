import { describe, expect, it } from 'vitest';
import { ConfigError } from '../../../src/core/errors.js';
import { checkPluginCode } from '../../../src/sandbox/plugin-code-check.js';
import { checkSandboxOptions, DEFAULT_PLUGIN_LIMITS, DEFAULT_SANDBOX_OPTIONS } from '../../../src/sandbox/sandbox-options.js';
import type { PluginCode } from '../../../src/sandbox/sandbox-host.js';

const base: PluginCode = { name: 'deploy', version: '1.0.0', source: 'export default {};', limits: { memoryMb: 16, cpuMs: 50, wallMs: 1000 } };

describe('checkPluginCode', () => {
  it('keeps given limits and fills missing ones from the defaults', () => {
    expect(checkPluginCode(base, DEFAULT_PLUGIN_LIMITS).limits).toEqual({ memoryMb: 16, cpuMs: 50, wallMs: 1000 });
    expect(checkPluginCode({ ...base, limits: { cpuMs: 50 } as PluginCode['limits'] }, DEFAULT_PLUGIN_LIMITS).limits).toEqual({ memoryMb: 32, cpuMs: 50, wallMs: 30_000 });
  });

  it.each([
    [{ ...base, name: 'x' }, '"x": a plugin name must match ^[a-z][a-z0-9-]{1,39}$'],
    [{ ...base, version: '' }, 'deploy: version must be a non-empty string'],
    [{ ...base, source: 'x'.repeat(8 * 1024 * 1024 + 1) }, 'deploy: index.js is larger than 8 MiB'],
    [{ ...base, limits: { memoryMb: 16, cpuMs: Number.NaN, wallMs: 1000 } }, 'deploy: limits.cpuMs must be a number from 1 to 3600000, got null'],
    [{ ...base, limits: { memoryMb: 16, cpuMs: 50, wallMs: -1 } }, 'deploy: limits.wallMs must be a number from 1 to 86400000, got -1'],
  ])('refuses %#', (code, message) => {
    expect(() => checkPluginCode(code, DEFAULT_PLUGIN_LIMITS)).toThrow(expect.objectContaining({ code: 'E_PLUGIN_LOAD', message }));
  });
});

describe('checkSandboxOptions', () => {
  it('accepts the defaults and names every bad field', () => {
    expect(() => checkSandboxOptions(DEFAULT_SANDBOX_OPTIONS)).not.toThrow();
    let caught: unknown;
    try {
      checkSandboxOptions({ runners: 0, heapCapMb: 10, defaultLimits: { memoryMb: 4, cpuMs: 0, wallMs: 1 } });
    } catch (error) {
      caught = error;
    }
    expect(caught).toBeInstanceOf(ConfigError);
    expect((caught as ConfigError).problems).toEqual([
      'runners must be an integer from 1 to 64',
      'heapCapMb must be an integer of at least 64',
      'defaultLimits.memoryMb must be at least 8',
      'defaultLimits.cpuMs must be positive',
    ]);
  });
});
