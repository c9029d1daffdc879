/**
 * A bot in a process of its own, for tests that must see whether a process survives: `adapter` runs opsroom's
 * Discord adapter, `bare` a discord.js client with no guard (the control). Both answer `!ping` with `pong` and
 * print READY once connected. Settings come from STAND_IN_API and DISCORD_TOKEN.
 */
import { Client, Events, Routes } from 'discord.js';
import { createAdapter } from '../../../adapters/discord/index.js';
import { INTENTS, PARTIALS } from '../../../adapters/discord/create-client.js';
import { createLogger } from '../../../src/core/logger.js';

const apiBaseUrl = process.env.STAND_IN_API ?? '';
const mode = process.argv[2];

async function runAdapter(): Promise<void> {
  const logger = createLogger({ level: 'info' });
  const adapter = await createAdapter({
    settings: { apiBaseUrl }, botName: 'opsroom', logger, io: { input: process.stdin, output: process.stdout, interactive: false },
  });
  adapter.onDidReceiveEvent(async (event) => {
    if (event.type === 'message' && event.text === '!ping') {
      await adapter.replyInThread({ channelId: event.channel.id, messageId: event.messageId }, { text: 'pong' });
    }
  });
  await adapter.start();
  process.on('SIGTERM', () => void adapter.stop().then(() => process.exit(0)));
}

async function runBare(): Promise<void> {
  const client = new Client({ intents: [...INTENTS], partials: [...PARTIALS], rest: { api: apiBaseUrl, version: '10' } });
  client.on(Events.MessageCreate, (message) => {
    if (message.content === '!ping') void client.rest.post(Routes.channelMessages(message.channelId), { body: { content: 'pong', allowed_mentions: { parse: [] } } });
  });
  const ready = new Promise((resolve) => client.once(Events.ClientReady, resolve));
  await client.login(process.env.DISCORD_TOKEN);
  await ready;
  process.on('SIGTERM', () => void client.destroy().then(() => process.exit(0)));
}

await (mode === 'bare' ? runBare() : runAdapter());
process.stdout.write('READY\n');
