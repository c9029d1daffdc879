import { describe, expect, it } from 'vitest';
import { postFailure } from '../../../src/capabilities/post-failure.js';
import { OpsroomError, UserError } from '../../../src/core/errors.js';

describe('postFailure', () => {
  it('names the alias, the channel and the fix, so the text alone tells a plugin author what to do', () => {
    const missing = new UserError('E_NOT_FOUND', 'opsroom has no conversation reference for teams:conversation:19:x, so it cannot post there', {
      hint: 'To fix it, install the app in that channel or mention the bot there once.',
    });
    const error = postFailure('builds', [{ platform: 'teams', channel: 'teams:conversation:19:x', error: missing }], ['discord']);
    expect(error.code).toBe('E_NOT_FOUND');
    expect(error.message).toBe('post to channel alias builds failed on teams (teams:conversation:19:x): opsroom has no conversation reference for '
      + 'teams:conversation:19:x, so it cannot post there. To fix it, install the app in that channel or mention the bot there once. It was posted on discord.');
  });

  it('keeps system failures vague in the text and marks them as platform errors', () => {
    const refused = new OpsroomError('E_PLATFORM', 'Teams refused to post a message in teams:conversation:1 (HTTP 502)');
    const error = postFailure('alerts', [{ platform: 'teams', channel: 'teams:conversation:1', error: refused }, { platform: 'discord', channel: 'discord:channel:2', error: new Error('socket hang up') }], []);
    expect(error.code).toBe('E_PLATFORM');
    expect(error.message).toContain('on teams (teams:conversation:1): Teams refused to post a message in teams:conversation:1 (HTTP 502) (see the opsroom log)');
    expect(error.message).toContain('on discord (discord:channel:2): the platform failed the request (see the opsroom log)');
    expect(error.message).not.toContain('socket hang up');
  });
});
