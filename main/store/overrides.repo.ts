import type { Db } from '../vault/database';

export interface OverrideRecord {
  id: string;
  networkId: string;
  band: 'A' | 'B' | 'C' | 'below_threshold';
  reason: string;
  authorId: string;
  requestedAt: string;
  approverId: string | null;
  approvedAt: string | null;
  expiresOn: string;
  status: 'requested' | 'approved' | 'rejected' | 'withdrawn';
}

interface Raw {
  id: string;
  network_id: string;
  band: OverrideRecord['band'];
  reason: string;
  author_id: string;
  requested_at: string;
  approver_id: string | null;
  approved_at: string | null;
  expires_on: string;
  status: OverrideRecord['status'];
}

const map = (r: Raw): OverrideRecord => ({
  id: r.id,
  networkId: r.network_id,
  band: r.band,
  reason: r.reason,
  authorId: r.author_id,
  requestedAt: r.requested_at,
  approverId: r.approver_id,
  approvedAt: r.approved_at,
  expiresOn: r.expires_on,
  status: r.status,
});

export function insertOverride(db: Db, o: OverrideRecord): void {
  db.prepare(
    `INSERT INTO band_overrides (id, network_id, band, reason, author_id, requested_at, approver_id, approved_at, expires_on, status)
     VALUES (@id, @networkId, @band, @reason, @authorId, @requestedAt, @approverId, @approvedAt, @expiresOn, @status)`,
  ).run(o);
}

export function getOverride(db: Db, id: string): OverrideRecord | null {
  const r = db.prepare('SELECT * FROM band_overrides WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function decideOverride(db: Db, id: string, status: 'approved' | 'rejected' | 'withdrawn', approverId: string | null, at: string): void {
  db.prepare('UPDATE band_overrides SET status = ?, approver_id = ?, approved_at = ? WHERE id = ?').run(status, approverId, at, id);
}

export function listOverrides(db: Db, networkId: string): OverrideRecord[] {
  return (db.prepare('SELECT * FROM band_overrides WHERE network_id = ? ORDER BY requested_at DESC').all(networkId) as Raw[]).map(map);
}
