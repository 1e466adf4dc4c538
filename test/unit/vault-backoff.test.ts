import { describe, expect, test } from 'vitest';
import { backoffSeconds } from '../../main/vault/vault';

describe('unlock back-off after consecutive failures', () => {
  test.each([
    [0, 0],
    [1, 0],
    [2, 0],
    [3, 2],
    [4, 4],
    [5, 8],
    [6, 16],
    [7, 32],
    [8, 64],
    [9, 128],
    [10, 256],
    [11, 300],
    [12, 300],
    [1000, 300],
  ])('after %i failures, wait %i s', (count, seconds) => {
    expect(backoffSeconds(count)).toBe(seconds);
  });
});
