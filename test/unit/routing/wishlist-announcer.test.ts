import { describe, expect, it } from 'vitest';
import type { RegisteredCommand } from '../../../src/routing/command-registry.js';
import { MessengerImpl } from '../../../src/routing/messenger.js';
import { WishlistAnnouncer, announcementsFor } from '../../../src/routing/wishlist-announcer.js';
import { FakeAdapter } from '../../fakes/fake-adapter.js';
import { createTestLogger } from '../../fakes/test-logger.js';

const UPTIME = { plugin: 'config', spec: { name: 'uptime', description: 'Shows how long a service is up' } } as RegisteredCommand;

describe('WishlistAnnouncer', () => {
  it('writes one message per channel, naming everyone who asked there once', () => {
    expect(announcementsFor(UPTIME, 'uptime', [
      { actorId: 'discord:user:1', actorName: 'ann', channelId: 'discord:channel:9' },
      { actorId: 'discord:user:2', actorName: 'bob', channelId: 'discord:channel:9' },
      { actorId: 'discord:user:1', actorName: 'ann', channelId: 'discord:channel:9' },
      { actorId: 'local:user:eve', actorName: 'eve', channelId: 'local:channel:ops' },
      { actorId: 'x', actorName: 'x', channelId: 'not-qualified' },
    ])).toEqual([
      { platform: 'discord', channelId: 'discord:channel:9', text: '✨ `uptime` exists now (from config): Shows how long a service is up. ann and bob asked for it on the wishlist; `help uptime` shows how to use it.' },
      { platform: 'local', channelId: 'local:channel:ops', text: '✨ `uptime` exists now (from config): Shows how long a service is up. eve asked for it on the wishlist; `help uptime` shows how to use it.' },
    ]);
  });

  it('holds an announcement for a platform until its adapter is attached', async () => {
    const messenger = new MessengerImpl();
    const announcer = new WishlistAnnouncer(messenger, createTestLogger());
    announcer.announce(announcementsFor(UPTIME, 'uptime', [{ actorId: 'discord:user:1', actorName: 'ann', channelId: 'discord:channel:9' }]));
    const discord = new FakeAdapter('discord');
    messenger.attach(new FakeAdapter('local'));
    messenger.attach(discord);
    await new Promise((resolve) => setImmediate(resolve));
    expect(discord.sent.map((s) => [s.kind, s.channelId])).toEqual([['send', 'discord:channel:9']]);
  });
});
