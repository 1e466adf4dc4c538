/**
 * The workstation's list of what has been erased from each vault, kept in the state folder beside
 * the audit heads (`erasures/<vault id>.json`), so a restore of an older backup can re-apply every
 * erasure made since the backup was taken (main/services/erasure.service.ts). It holds random ids
 * only: the erasure's id, the kind, the erased record's id and the ids of every row that went,
 * when and by which user id. Never a name, a reference, a date of birth or a reason.
 *
 * Written atomically (keyfile.ts writeFileAtomic) with a MAC under the vault's audit key, so the
 * list cannot be edited to make a restore erase records nobody erased: a list whose MAC fails is
 * not used.
 */
import { createHmac } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { deriveFileMacKey, safeEqual } from './crypto';
import { writeFileAtomic } from './keyfile';

export interface ErasedIdsEntry {
  id: string;
  kind: string;
  recordId: string;
  erasedAt: string;
  erasedBy: string | null;
  /** Row ids by table key (store/erasure.repo.ts EraseRows). */
  rows: Record<string, string[]>;
}

interface ErasedIdsFile {
  format: 'harm-matrix-erasures';
  version: 1;
  vaultId: string;
  erasures: ErasedIdsEntry[];
  mac: string;
}

function pathFor(stateDir: string, vaultId: string): string {
  return join(stateDir, 'erasures', `${vaultId}.json`);
}

function macOf(auditKey: Buffer, vaultId: string, erasures: readonly ErasedIdsEntry[]): string {
  return createHmac('sha256', deriveFileMacKey(auditKey)).update(`erasures|${vaultId}|${JSON.stringify(erasures)}`).digest('hex');
}

export type ErasedIds = { status: 'none' | 'invalid'; erasures: [] } | { status: 'ok'; erasures: ErasedIdsEntry[] };

export function readErasedIds(stateDir: string, vaultId: string, auditKey: Buffer): ErasedIds {
  const p = pathFor(stateDir, vaultId);
  if (!existsSync(p)) return { status: 'none', erasures: [] };
  try {
    const f = JSON.parse(readFileSync(p, 'utf8')) as ErasedIdsFile;
    if (f.format !== 'harm-matrix-erasures' || f.vaultId !== vaultId || !Array.isArray(f.erasures) || !safeEqual(macOf(auditKey, vaultId, f.erasures), String(f.mac))) {
      return { status: 'invalid', erasures: [] };
    }
    return { status: 'ok', erasures: f.erasures };
  } catch {
    return { status: 'invalid', erasures: [] };
  }
}

/** Add erasures the list does not hold yet (by id). A list that fails its MAC is replaced by these. */
export function addErasedIds(stateDir: string, vaultId: string, auditKey: Buffer, add: readonly ErasedIdsEntry[]): void {
  const known = readErasedIds(stateDir, vaultId, auditKey).erasures;
  const ids = new Set(known.map((e) => e.id));
  const erasures = [...known, ...add.filter((e) => !ids.has(e.id))];
  mkdirSync(join(stateDir, 'erasures'), { recursive: true, mode: 0o700 });
  const file: ErasedIdsFile = { format: 'harm-matrix-erasures', version: 1, vaultId, erasures, mac: macOf(auditKey, vaultId, erasures) };
  writeFileAtomic(pathFor(stateDir, vaultId), JSON.stringify(file));
}
