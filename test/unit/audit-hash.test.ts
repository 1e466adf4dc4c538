import { createHmac } from 'node:crypto';
import { describe, expect, test } from 'vitest';
import { entryHash, GENESIS_HASH } from '../../main/audit/audit';

const KEY = Buffer.alloc(32, 3);
const PINNED = 'b7297857455539394fa37f3ae7ccd7d782b54d9651c2009a1227a4a972600cd5';
const ENTRY = {
  seq: 1,
  at: '2026-06-30T09:00:00.000Z',
  userId: 'u-1',
  userName: 'Alice Admin',
  action: 'unlock' as const,
  entityType: 'vault',
  entityId: 'v-1',
  summary: 'Unlocked with passphrase',
  justification: null,
  prevHash: GENESIS_HASH,
};

describe('audit entry hash', () => {
  test('is HMAC-SHA-256 under the audit key over the canonical JSON of every field and the previous hash', () => {
    const canonical = '["hm-audit-v1",1,"2026-06-30T09:00:00.000Z","u-1","Alice Admin","unlock","vault","v-1","Unlocked with passphrase",null,"' + '0'.repeat(64) + '"]';
    expect(entryHash(KEY, ENTRY)).toBe(createHmac('sha256', KEY).update(canonical, 'utf8').digest('hex'));
    // Pinned, so a change to the canonical form (which would break every existing chain) shows.
    expect(entryHash(KEY, ENTRY)).toBe(PINNED);
    expect(GENESIS_HASH).toBe('0'.repeat(64));
  });

  test.each([
    ['seq', { seq: 2 }],
    ['time', { at: '2026-06-30T09:00:00.001Z' }],
    ['user id', { userId: 'u-2' }],
    ['user name', { userName: 'Alice Admin ' }],
    ['action', { action: 'lock' as const }],
    ['entity type', { entityType: 'user' }],
    ['entity id', { entityId: null }],
    ['summary', { summary: 'Unlocked with passphrase.' }],
    ['justification', { justification: '' }],
    ['previous hash', { prevHash: '1'.repeat(64) }],
  ])('changing the %s changes the hash', (_label, change) => {
    expect(entryHash(KEY, { ...ENTRY, ...change })).not.toBe(entryHash(KEY, ENTRY));
  });

  test('fields cannot be shifted between each other to keep the hash (no ambiguous concatenation)', () => {
    const a = entryHash(KEY, { ...ENTRY, entityType: 'vault|x', entityId: 'y' });
    const b = entryHash(KEY, { ...ENTRY, entityType: 'vault', entityId: 'x|y' });
    expect(a).not.toBe(b);
  });

  test('another key gives another hash', () => {
    expect(entryHash(Buffer.alloc(32, 4), ENTRY)).not.toBe(entryHash(KEY, ENTRY));
  });
});
