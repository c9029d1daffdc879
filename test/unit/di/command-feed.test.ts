import { describe, expect, it } from 'vitest';
import type { CommandSpec } from '../../../src/core/command.js';
import { feedCommands } from '../../../src/di/command-feed.js';
import { CommandRegistryImpl } from '../../../src/routing/command-registry.js';
import { FakeAdapter } from '../../fakes/fake-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const spec = (name: string): CommandSpec => ({ name, description: name, args: [], permission: `use:${name}`, risk: 'low' });
const run = async (): Promise<string> => 'ok';
const tick = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/** A fake platform that wants the command list, recording every list it is given. */
function listening(): { adapter: FakeAdapter; lists: string[][] } {
  const lists: string[][] = [];
  const adapter = Object.assign(new FakeAdapter('discord'), {
    useCommands: (commands: readonly CommandSpec[]) => void lists.push(commands.map((c) => c.name)),
  });
  return { adapter, lists };
}

describe('feedCommands', () => {
  it('gives the list at once, then once after each burst of changes, until disposed', async () => {
    const registry = new CommandRegistryImpl();
    registry.register('core', spec('ping'), run);
    const { adapter, lists } = listening();
    const feed = feedCommands(registry, adapter, createTestLogger());
    expect(lists).toEqual([['ping']]);
    const deploy = registry.register('ops', spec('deploy'), run);
    registry.register('ops', spec('logs'), run);
    await tick();
    expect(lists).toEqual([['ping'], ['ping', 'deploy', 'logs']]);
    deploy.dispose();
    feed.dispose();
    await tick();
    registry.register('ops', spec('status'), run);
    await tick();
    expect(lists).toHaveLength(2);
  });

  it('leaves adapters that take no command list alone, and logs an adapter that throws on one', async () => {
    const registry = new CommandRegistryImpl();
    const logger = createTestLogger();
    feedCommands(registry, new FakeAdapter('local'), logger).dispose();
    const failing = Object.assign(new FakeAdapter('discord'), { useCommands: () => { throw new Error('no room for more'); } });
    feedCommands(registry, failing, logger);
    expect(logger.entries().map((e) => [e.msg, (e.err as { message?: string } | undefined)?.message])).toEqual([
      ['an adapter could not take the command list', 'no room for more'],
    ]);
  });
});
