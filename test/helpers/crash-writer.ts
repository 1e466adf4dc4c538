/**
 * Child process for the crash and lock tests. Unlocks a vault through the real services, then:
 * - mode 'write': commits rows in a loop, each with its audit entry (and every fourth with a
 *   settings change) in one Session.write, printing "ACK <n>" only after the commit returned;
 * - mode 'rotate': rotates the data key in a loop, printing "ROT <n>" after each;
 * - mode 'hold': keeps the vault open until told "exit" on stdin.
 * The parent kills it with SIGKILL. Configuration comes in HM_CHILD_CONFIG (JSON), never argv.
 * stdout is a pipe, which Node writes synchronously on Linux, so an ACK is in the pipe before the
 * next commit starts.
 */
import { createHash, randomBytes } from 'node:crypto';
import { SCRYPT_TEST } from '../../main/vault/crypto';
import { Session } from '../../main/services/session';
import * as vaultService from '../../main/services/vault.service';
import { writeSettings } from '../../main/store/settings.repo';

export interface CrashWriterConfig {
  mode: 'write' | 'rotate' | 'hold';
  vaultPath: string;
  stateDir: string;
  userName: string;
  passphrase: string;
}

const CRASH_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS crash_rows (n INTEGER PRIMARY KEY, payload BLOB NOT NULL, digest TEXT NOT NULL) STRICT';

function main(): void {
  const cfg = JSON.parse(process.env.HM_CHILD_CONFIG ?? '{}') as CrashWriterConfig;
  const session = new Session({ stateDir: cfg.stateDir, documentsDir: cfg.stateDir, now: () => new Date(), kdfCost: SCRYPT_TEST, appVersion: 'test' });
  session.vaultPath = cfg.vaultPath;
  vaultService.unlock(session, { userName: cfg.userName, passphrase: cfg.passphrase });
  const out = (line: string) => process.stdout.write(`${line}\n`);

  if (cfg.mode === 'hold') {
    out('READY');
    process.stdin.setEncoding('utf8');
    process.stdin.on('data', (d: string) => {
      if (d.includes('exit')) {
        vaultService.lock(session, 'quit');
        out('BYE');
        process.exit(0);
      }
    });
    return;
  }

  if (cfg.mode === 'rotate') {
    out('READY');
    for (let i = 1; ; i++) {
      vaultService.rotateKey(session);
      out(`ROT ${i}`);
    }
  }

  session.vault!.tx((db) => db.exec(CRASH_TABLE_SQL));
  const insert = session.vault!.db.prepare('INSERT INTO crash_rows (n, payload, digest) VALUES (?, ?, ?)');
  let n = ((session.vault!.db.prepare('SELECT max(n) AS m FROM crash_rows').get() as { m: number | null }).m ?? 0) + 1;
  out('READY');
  for (;;) {
    // 200 B to 6 KB of random bytes: some rows fit in a page, some spill to overflow pages.
    const payload = randomBytes(200 + (n % 30) * 200);
    const digest = createHash('sha256').update(payload).digest('hex');
    const row = n;
    session.write((db, audit) => {
      insert.run(row, payload, digest);
      if (row % 4 === 0) writeSettings(db, { idleTimeoutMinutes: 1 + (row % 60), marking: `CRASH ${row}` });
      audit({ action: 'collect', entityType: 'crash_row', entityId: String(row), summary: `Test row ${row} written` });
    });
    out(`ACK ${row}`);
    n++;
  }
}

main();
