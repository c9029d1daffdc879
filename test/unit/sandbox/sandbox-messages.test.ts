import { describe, expect, it } from 'vitest';
import {
  crashedMessage, formatDuration, stoppedMessage, stoppedWithSiblingMessage, threwMessage, tooLargeMessage, truncate,
} from '../../../src/sandbox/sandbox-messages.js';

const limits = { cpuMs: 200, wallMs: 30_000, memoryMb: 32 };

describe('sandbox messages', () => {
  it('words each stopped limit as users see it', () => {
    expect(stoppedMessage('deploy', 'wall', limits)).toBe('deploy took longer than 30s and was stopped');
    expect(stoppedMessage('deploy', 'cpu', limits)).toBe('deploy used more than 200 ms of CPU and was stopped');
    expect(stoppedMessage('deploy', 'memory', limits)).toBe('deploy ran out of memory (limit 32 MB) and was stopped');
    expect(stoppedWithSiblingMessage('deploy', 'cpu', limits)).toBe('deploy was stopped because another of its calls used more than 200 ms of CPU; try again');
  });

  it('words output, throws and crashes', () => {
    expect(tooLargeMessage('deploy')).toBe('deploy returned more than 1 MiB; the reply was dropped');
    expect(threwMessage('deploy', 'Error', 'boom')).toBe('deploy threw: boom');
    expect(threwMessage('deploy', 'CapabilityDenied', 'no')).toBe('deploy threw: CapabilityDenied: no');
    expect(threwMessage('deploy', '', '42')).toBe('deploy threw: 42');
    expect(crashedMessage('deploy')).toBe('deploy stopped unexpectedly (its sandbox process exited); try again');
  });

  it('formats durations in seconds from one second up', () => {
    expect(formatDuration(250)).toBe('250 ms');
    expect(formatDuration(1000)).toBe('1s');
    expect(formatDuration(1500)).toBe('1.5s');
  });

  it('truncates long plugin text and says by how much', () => {
    expect(truncate('abcdef', 4)).toBe('abcd… (2 more characters)');
    expect(truncate('abc', 4)).toBe('abc');
  });
});
