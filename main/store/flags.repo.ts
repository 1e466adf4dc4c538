import type { Db } from '../vault/database';

export interface FlagRecord {
  id: string;
  subjectType: 'person' | 'offence';
  subjectId: string;
  networkId: string | null;
  status: 'proposed' | 'confirmed' | 'expired' | 'removed';
  criteria: 'two_sources' | 'self_admission';
  proposedBy: string | null;
  proposedAt: string;
  confirmedBy: string | null;
  confirmedAt: string | null;
  reviewOn: string;
  endedAt: string | null;
  endReason: string | null;
}

interface Raw {
  id: string;
  subject_type: FlagRecord['subjectType'];
  subject_id: string;
  network_id: string | null;
  status: FlagRecord['status'];
  criteria: FlagRecord['criteria'];
  proposed_by: string | null;
  proposed_at: string;
  confirmed_by: string | null;
  confirmed_at: string | null;
  review_on: string;
  ended_at: string | null;
  end_reason: string | null;
}

const map = (r: Raw): FlagRecord => ({
  id: r.id,
  subjectType: r.subject_type,
  subjectId: r.subject_id,
  networkId: r.network_id,
  status: r.status,
  criteria: r.criteria,
  proposedBy: r.proposed_by,
  proposedAt: r.proposed_at,
  confirmedBy: r.confirmed_by,
  confirmedAt: r.confirmed_at,
  reviewOn: r.review_on,
  endedAt: r.ended_at,
  endReason: r.end_reason,
});

export function insertFlag(db: Db, f: FlagRecord, intelIds: string[]): void {
  db.prepare(
    `INSERT INTO gang_flags (id, subject_type, subject_id, network_id, status, criteria, proposed_by, proposed_at, confirmed_by, confirmed_at, review_on, ended_at, end_reason)
     VALUES (@id, @subjectType, @subjectId, @networkId, @status, @criteria, @proposedBy, @proposedAt, @confirmedBy, @confirmedAt, @reviewOn, @endedAt, @endReason)`,
  ).run(f);
  const ins = db.prepare('INSERT OR IGNORE INTO gang_flag_intelligence (flag_id, intel_id) VALUES (?, ?)');
  for (const i of intelIds) ins.run(f.id, i);
}

export function getFlag(db: Db, id: string): FlagRecord | null {
  const r = db.prepare('SELECT * FROM gang_flags WHERE id = ?').get(id) as Raw | undefined;
  return r ? map(r) : null;
}

export function updateFlag(db: Db, f: FlagRecord): void {
  db.prepare(
    'UPDATE gang_flags SET status=@status, confirmed_by=@confirmedBy, confirmed_at=@confirmedAt, review_on=@reviewOn, ended_at=@endedAt, end_reason=@endReason WHERE id=@id',
  ).run(f);
}

export function listFlags(db: Db, filter: { status?: FlagRecord['status']; subjectId?: string; networkId?: string } = {}): FlagRecord[] {
  const where: string[] = [];
  const params: unknown[] = [];
  if (filter.status) {
    where.push('status = ?');
    params.push(filter.status);
  }
  if (filter.subjectId) {
    where.push('subject_id = ?');
    params.push(filter.subjectId);
  }
  if (filter.networkId) {
    where.push('network_id = ?');
    params.push(filter.networkId);
  }
  const sql = `SELECT * FROM gang_flags ${where.length ? `WHERE ${where.join(' AND ')}` : ''} ORDER BY proposed_at DESC`;
  return (db.prepare(sql).all(...params) as Raw[]).map(map);
}
