import { describe, expect, it } from 'vitest';
import { decodePng, inkedPixels } from '../../support/png.js';
import { startDiscordBot } from './opsroom-bot.js';

describe('a report on Discord', () => {
  it('answers with its text and its chart uploaded as a PNG file on the same message', async () => {
    const bot = await startDiscordBot();
    for (const wish of ['!rollback web', '!rollback api', '!flush-cache']) await bot.replyTo(bot.say(wish));

    const asked = bot.say('!report wishlist');
    const reply = await bot.replyTo(asked);
    expect(bot.repliesTo(asked)).toHaveLength(1);
    expect(reply.body.content).toMatch(/rollback/);
    expect(reply.body.attachments).toEqual([{ id: '0', filename: 'wishlist.png' }]);
    const [file, ...others] = reply.files;
    expect(others).toEqual([]);
    expect(file).toMatchObject({ field: 'files[0]', filename: 'wishlist.png', contentType: 'image/png' });
    const png = decodePng(file?.data ?? Buffer.alloc(0));
    expect(png.width).toBe(800);
    expect(png.height).toBeGreaterThan(100);
    expect(inkedPixels(png)).toBeGreaterThan(2_000);
    // What Discord answered: the message carries the attachment, as a member's client would show it.
    expect(reply.response.attachments).toMatchObject([{ filename: 'wishlist.png', content_type: 'image/png', size: file?.size }]);
    bot.standIn.assertNoViolations();
  });
});
