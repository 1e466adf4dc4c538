/**
 * `erase` on the command line (the real CLI as a child process, an encrypted vault on disk):
 * prints the plan and what was erased; refuses an analyst (exit 2, nothing written), an unknown
 * kind (exit 64) and a missing reason (exit 64); `restore` of a backup taken before the erasure
 * says how many erasures it re-applied.
 */
import { join } from 'node:path';
import { afterAll, beforeAll, describe, expect, test } from 'vitest';
import * as M from '../../main/services/matrix.service';
import * as vaultService from '../../main/services/vault.service';
import { runCli } from '../helpers/cli-runner';
import { network, openMatrixWorld, person, type MatrixWorld } from '../helpers/matrix-fixtures';
import { ADMIN, ANALYST, SUPERVISOR, removeDir, vaultLayerUnlock } from '../helpers/vault-fixtures';

let w: MatrixWorld;
let personRef = '';
let backupPath = '';

beforeAll(() => {
  w = openMatrixWorld('erase-cli');
  const n = network(w, 'Cli Crew');
  const p = person(w, 'Command Line Person');
  personRef = p.reference;
  M.linkPerson(w.s, { personId: p.id, networkId: n.id, role: 'victim_at_risk', startDate: '2026-02-01' });
  w.as(w.admin);
  backupPath = join(w.tv.dir, 'backup.hmvault');
  vaultService.backup(w.s, { path: backupPath });
  w.s.closeVault();
});
afterAll(() => removeDir(w.tv.dir));

const cli = (args: string[], stdin: string) => runCli(args, stdin, w.tv.ctx.stateDir);

describe('erase on the command line', () => {
  test('refusals: an analyst (2, nothing written), an unknown kind (64), no reason (64)', async () => {
    const analyst = await cli(['erase', w.tv.path, 'person', personRef, '--reason', 'Erasure request upheld.', '--user', ANALYST.name], `${ANALYST.passphrase}\n`);
    expect(analyst.code).toBe(2);
    expect(analyst.stderr).toContain('Your role (analyst) does not allow');
    const u2 = vaultLayerUnlock(w.tv.dir, w.tv.path, ADMIN.name, ADMIN.passphrase);
    expect(u2.vault.db.prepare('SELECT count(*) FROM people').pluck().get()).toBe(1);
    expect(u2.vault.db.prepare("SELECT count(*) FROM audit_log WHERE action = 'erase'").pluck().get()).toBe(0);
    u2.vault.close();
    expect((await cli(['erase', w.tv.path, 'member', personRef, '--reason', 'Erasure request upheld.', '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`)).code).toBe(64);
    expect((await cli(['erase', w.tv.path, 'person', personRef, '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`)).code).toBe(64);
  });

  test('a supervisor erases a person by reference; a restore of the older backup re-applies it', async () => {
    const r = await cli(['erase', w.tv.path, 'person', personRef, '--reason', 'Erasure request upheld.', '--user', SUPERVISOR.name], `${SUPERVISOR.passphrase}\n`);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    const lines = r.stdout.trim().split('\n');
    expect(lines[0]).toBe('Plan:   1 person, 1 member link; 1 network rescored');
    expect(lines[1]).toMatch(new RegExp(`^Erased: person ${personRef} \\(erasure [0-9a-f-]{36}\\): 1 person, 1 member link; 1 network rescored$`));
    const restored = join(w.tv.dir, 'restored.hmvault');
    const back = await cli(['restore', backupPath, restored, '--user', ADMIN.name], `${ADMIN.passphrase}\n`);
    expect(back.code).toBe(0);
    expect(back.stdout).toContain('Re-applied 1 erasure recorded since this backup was taken.');
    const u = vaultLayerUnlock(w.tv.dir, restored, ADMIN.name, ADMIN.passphrase);
    expect(u.vault.db.prepare('SELECT count(*) FROM people').pluck().get()).toBe(0);
    u.vault.close();
  });
});
