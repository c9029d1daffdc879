import { describe, expectTypeOf, it } from 'vitest';
import type { Ctx, Manifest, Message, Plugin } from '../../../plugin-api.js';
import type { PluginManifest } from '../../../src/plugins/plugin-manifest.js';
import type { CallContext, CapabilityCall } from '../../../src/sandbox/sandbox-host.js';

/**
 * Type tests: a breaking change to the plugin API, or a drift between the declaration file and what the host
 * accepts, fails the type check (`npm run typecheck`, run by `npm test`).
 */
describe('the plugin API declaration', () => {
  it('keeps the ctx members of the contract', () => {
    expectTypeOf<Ctx>().toHaveProperty('reply');
    expectTypeOf<Ctx>().toHaveProperty('post');
    expectTypeOf<Ctx>().toHaveProperty('fetch');
    expectTypeOf<Ctx>().toHaveProperty('secret');
    expectTypeOf<Ctx>().toHaveProperty('storage');
    expectTypeOf<Ctx>().toHaveProperty('runbook');
    expectTypeOf<Ctx>().toHaveProperty('schedule');
    expectTypeOf<Ctx>().toHaveProperty('unschedule');
    expectTypeOf<Ctx>().toHaveProperty('log');
    expectTypeOf<Ctx['secret']>().returns.toEqualTypeOf<string>();
    expectTypeOf<Ctx['reply']>().parameter(0).toEqualTypeOf<Message>();
  });

  it('accepts the contract\'s example plugin', () => {
    const plugin: Plugin = {
      commands: {
        async deploy(ctx, args) {
          const res = await ctx.fetch('https://api.github.com/x', { method: 'POST', headers: { authorization: `Bearer ${ctx.secret('GITHUB_TOKEN')}` }, body: '{}' });
          if (res.status !== 204) return `GitHub said ${res.status}: ${await res.text()}`;
          return `Deployment of ${String(args.service)} started.`;
        },
      },
      async setup(ctx) { await ctx.schedule('nightly-report', '0 7 * * 1-5'); },
    };
    expectTypeOf(plugin).toMatchTypeOf<Plugin>();
  });

  it('describes every manifest the host accepts', () => {
    expectTypeOf<PluginManifest['capabilities']>().toMatchTypeOf<NonNullable<Manifest['capabilities']>>();
    expectTypeOf<PluginManifest['commands'][number]['risk']>().toEqualTypeOf<'low' | 'medium' | 'high'>();
  });

  it('has a capability call for every async ctx member', () => {
    expectTypeOf<CapabilityCall['capability']>().toEqualTypeOf<'reply' | 'post' | 'fetch' | 'secret' | 'storage' | 'runbook' | 'schedule' | 'log'>();
    expectTypeOf<CallContext>().toHaveProperty('config');
  });
});
