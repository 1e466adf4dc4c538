/**
 * The house's fences hold (docs/architecture.md): every source file's imports are read and each
 * forbidden direction, each SQL call outside the store, vault and audit rooms, and each circle is
 * named. The made-up trees below show that each rule does fail when it is broken.
 */
import { readFileSync } from 'node:fs';
import { execFileSync } from 'node:child_process';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkHouse, importsOf, isSource } from '../helpers/house-rules';

const ROOT = join(__dirname, '..', '..');

function checkout(): Map<string, string> {
  const listed = execFileSync('git', ['ls-files', '--cached', '--others', '--exclude-standard', 'main', 'preload', 'renderer'], { cwd: ROOT, encoding: 'utf8' });
  const out = new Map<string, string>();
  for (const file of listed.split('\n').filter(Boolean)) {
    if (!isSource(file)) continue;
    try {
      out.set(file, readFileSync(join(ROOT, file), 'utf8'));
    } catch {
      // Listed but deleted in the work tree: not part of the house.
    }
  }
  return out;
}

const tree = (files: Record<string, string>) => new Map(Object.entries(files));
const rulesOf = (files: Record<string, string>) => checkHouse(tree(files)).map((v) => `${v.file}: ${v.rule}`);

describe('the house keeps its own rules', () => {
  it('no source file crosses a fence, writes SQL outside its rooms, or closes a circle', () => {
    const sources = checkout();
    expect(sources.size).toBeGreaterThan(100);
    const found = checkHouse(sources).map((v) => `${v.file}: ${v.rule} (${v.detail})`);
    expect(found).toEqual([]);
  });
});

describe('each fence fails when it is broken', () => {
  const base = {
    'main/store/networks.repo.ts': "import type { Db } from '../vault/database';\nexport const x = (db: Db) => db.prepare('SELECT 1').get();",
    'main/vault/database.ts': "import Database from 'better-sqlite3-multiple-ciphers';\nexport type Db = Database.Database;",
    'main/services/matrix.service.ts': "import { x } from '../store/networks.repo';\nexport const y = x;",
    'main/domain/scoring.ts': "import { z } from 'zod';\nexport const s = z.string();",
    'main/ipc/matrix.handlers.ts': "import { y } from '../services/matrix.service';\nexport const h = y;",
    'preload/contract/index.ts': "import { z } from 'zod';\nexport const c = z.object({});",
    'preload/contract/channels.ts': "export const CHANNEL_NAMES = ['a:b'] as const;",
    'preload/api.ts': "import { CHANNEL_NAMES } from './contract/channels';\nimport type { c } from './contract';\nexport const a = CHANNEL_NAMES;",
    'preload/index.ts': "import { contextBridge } from 'electron';\nimport { a } from './api';\ncontextBridge.exposeInMainWorld('api', a);",
    'renderer/src/app/App.tsx': "import type { Api } from '../../../preload/api';\nimport { c } from '../../../preload/contract';\nexport const A = c;",
  };

  it('a lawful tree passes', () => {
    expect(rulesOf(base)).toEqual([]);
  });

  it('the domain importing the store, Node I/O or Electron', () => {
    expect(rulesOf({ ...base, 'main/domain/scoring.ts': "import { x } from '../store/networks.repo';\nexport const s = x;" })).toEqual([
      'main/domain/scoring.ts: the domain is pure: no store, vault, services, ipc, window, Electron or Node I/O',
    ]);
    expect(rulesOf({ ...base, 'main/domain/scoring.ts': "import { readFileSync } from 'node:fs';\nexport const s = readFileSync;" })).toHaveLength(1);
    expect(rulesOf({ ...base, 'main/domain/scoring.ts': "import { app } from 'electron';\nexport const s = app;" })).toHaveLength(1);
  });

  it('SQL in a service, the CLI or a handler', () => {
    expect(rulesOf({ ...base, 'main/services/matrix.service.ts': "export const y = (db: any) => db.prepare('DELETE FROM networks').run();" })).toEqual([
      'main/services/matrix.service.ts: every SQL statement lives in the store, the vault or the audit chain',
    ]);
    expect(rulesOf({ ...base, 'main/cli.ts': "export const z = (db: any) => db.exec('VACUUM');" })).toHaveLength(1);
    expect(rulesOf({ ...base, 'main/ipc/matrix.handlers.ts': "export const h = (db: any) => db\n  .pragma('user_version');" })).toHaveLength(1);
    expect(rulesOf({ ...base, 'main/ipc/matrix.handlers.ts': "export const h = (db: any) => db.exec(`DROP TABLE x`);" })).toHaveLength(1);
    // A RegExp's exec is not SQL.
    expect(rulesOf({ ...base, 'main/ipc/matrix.handlers.ts': 'export const h = (s: string) => /^a/.exec(s);' })).toHaveLength(0);
  });

  it('the driver outside the vault and the store', () => {
    expect(rulesOf({ ...base, 'main/services/matrix.service.ts': "import Database from 'better-sqlite3-multiple-ciphers';\nexport const y = Database;" })).toEqual([
      'main/services/matrix.service.ts: only the vault, the store and the audit chain touch the database driver',
    ]);
  });

  it('a lower room reaching up', () => {
    expect(rulesOf({ ...base, 'main/store/networks.repo.ts': "import { y } from '../services/matrix.service';\nexport const x = y;" })).toContain(
      'main/store/networks.repo.ts: the store never imports services, ipc, window, returns or the CLI',
    );
    expect(rulesOf({ ...base, 'main/vault/database.ts': "import { x } from '../store/networks.repo';\nexport const d = x;" })).toContain(
      'main/vault/database.ts: the vault never imports the store, services, ipc or window',
    );
    expect(rulesOf({ ...base, 'main/services/matrix.service.ts': "import { h } from '../ipc/matrix.handlers';\nexport const y = h;" })).toContain(
      'main/services/matrix.service.ts: services never import ipc, window, the CLI or Electron',
    );
  });

  it('the renderer importing main, Electron or Node', () => {
    expect(rulesOf({ ...base, 'renderer/src/app/App.tsx': "import type { S } from '../../../main/domain/scoring';\nexport type A = S;" })).toEqual([
      'renderer/src/app/App.tsx: the renderer sees only the shared layer and window.api: no main, no Electron, no Node',
    ]);
    expect(rulesOf({ ...base, 'renderer/src/app/App.tsx': "import { ipcRenderer } from 'electron';\nexport const A = ipcRenderer;" })).toHaveLength(1);
    expect(rulesOf({ ...base, 'renderer/src/app/App.tsx': "import { join } from 'node:path';\nexport const A = join;" })).toHaveLength(1);
  });

  it('the preload loading more than Electron and the channel names', () => {
    expect(rulesOf({ ...base, 'preload/api.ts': "import { c } from './contract';\nexport const a = c;" })).toEqual([
      'preload/api.ts: the preload loads no zod at run time: only type imports of the contract beyond its channel names',
    ]);
    expect(rulesOf({ ...base, 'preload/index.ts': "import { contextBridge } from 'electron';\nimport { readFileSync } from 'node:fs';\nexport const p = readFileSync;" })).toEqual([
      'preload/index.ts: the preload imports only Electron and the shared layer',
    ]);
  });

  it('the shared layer importing main or a package other than zod', () => {
    expect(rulesOf({ ...base, 'preload/contract/index.ts': "import { s } from '../../main/domain/scoring';\nexport const c = s;" })).toEqual([
      'preload/contract/index.ts: the shared layer imports only zod and itself',
    ]);
    expect(rulesOf({ ...base, 'preload/contract/index.ts': "import { Chart } from 'chart.js';\nexport const c = Chart;" })).toHaveLength(1);
  });

  it('a circle, even through a type import', () => {
    expect(
      rulesOf({
        ...base,
        'main/services/a.service.ts': "import type { B } from './b.service';\nexport type A = B;",
        'main/services/b.service.ts': "import { a } from './a.service';\nexport const b = a;",
      }),
    ).toEqual(['main/services/a.service.ts: no circles']);
  });

  it('reads multi-line, type-only, re-export and dynamic imports; not those in comments or templates', () => {
    const files = new Set(['main/a.ts', 'main/b.ts', 'main/c.ts', 'main/d.ts']);
    const refs = importsOf(
      'main/a.ts',
      [
        "import {\n  one,\n  two,\n} from './b';",
        "import type { Three } from './c';",
        "export { four } from './d';",
        "const m = await import('node:fs');",
        "// import { x } from '../store/x';",
        '/* import y from "electron"; */',
        'const sql = `\nimport z from "electron";\n`;',
      ].join('\n'),
      files,
    );
    expect(refs).toEqual([
      { spec: './b', target: 'main/b.ts', isTypeOnly: false },
      { spec: './c', target: 'main/c.ts', isTypeOnly: true },
      { spec: './d', target: 'main/d.ts', isTypeOnly: false },
      { spec: 'node:fs', target: null, isTypeOnly: false },
    ]);
  });
});
