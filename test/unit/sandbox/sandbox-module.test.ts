import { Container } from 'inversify';
import { describe, expect, it } from 'vitest';
import { Logger } from '../../../src/core/logger.js';
import { SandboxHost } from '../../../src/sandbox/sandbox-host.js';
import { SandboxHostImpl } from '../../../src/sandbox/sandbox-host-impl.js';
import { sandboxModule } from '../../../src/sandbox/sandbox-module.js';
import { DEFAULT_SANDBOX_OPTIONS, SandboxOptions } from '../../../src/sandbox/sandbox-options.js';
import { createTestLogger } from '../../fakes/test-logger.js';

describe('sandboxModule', () => {
  it('binds one SandboxHost, which starts no runner until a plugin is loaded', async () => {
    const container = new Container();
    container.bind(Logger).toConstantValue(createTestLogger());
    container.bind(SandboxOptions).toConstantValue(DEFAULT_SANDBOX_OPTIONS);
    await container.load(sandboxModule);
    const host = container.get<SandboxHost>(SandboxHost);
    expect(host).toBeInstanceOf(SandboxHostImpl);
    expect(container.get(SandboxHost)).toBe(host);
    expect(host.stats()).toEqual({ runners: [] });
    await host.dispose();
  });
});
