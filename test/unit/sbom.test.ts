/**
 * npm run sbom (scripts/sbom.mjs): run into a temporary folder, both files parse and name the app,
 * the Electron runtime and SQLite with their versions, and list the SQLite driver; the checksums
 * match. Also run with the driver made unloadable, as it is once built for Electron.
 */
import { spawnSync } from 'node:child_process';
import { createHash } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3-multiple-ciphers';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

const ROOT = join(__dirname, '..', '..');
const pkg = JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { name: string; version: string };
const electronVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules/electron/package.json'), 'utf8')) as { version: string }).version;
const DRIVER = 'better-sqlite3-multiple-ciphers';
const driverVersion = (JSON.parse(readFileSync(join(ROOT, 'node_modules', DRIVER, 'package.json'), 'utf8')) as { version: string }).version;

/** What the driver in this checkout says, asked here independently of the script. */
function driverSqliteVersions(): { sqlite: string; mc: string } {
  const db = new Database(':memory:');
  try {
    const sqlite = (db.prepare('select sqlite_version() as v').get() as { v: string }).v;
    const mc = /(\d+\.\d+\.\d+)/.exec((db.prepare('select sqlite3mc_version() as v').get() as { v: string }).v)![1];
    return { sqlite, mc };
  } finally {
    db.close();
  }
}

interface CdxComponent {
  'bom-ref': string;
  name: string;
  version: string;
  type: string;
  purl?: string;
  cpe?: string;
  properties?: { name: string; value: string }[];
}
interface Cdx {
  bomFormat: string;
  specVersion: string;
  metadata: { component: { name: string; version: string; type: string; 'bom-ref': string } };
  components: CdxComponent[];
  dependencies: { ref: string; dependsOn: string[] }[];
}
interface SpdxPackage {
  SPDXID: string;
  name: string;
  versionInfo: string;
  comment?: string;
  externalRefs?: { referenceType: string; referenceLocator: string }[];
}
interface Spdx {
  spdxVersion: string;
  name: string;
  documentDescribes: string[];
  packages: SpdxPackage[];
  relationships: { spdxElementId: string; relatedSpdxElement: string; relationshipType: string }[];
}

function runSbom(outDir: string, env: NodeJS.ProcessEnv = process.env) {
  const r = spawnSync(process.execPath, [join(ROOT, 'scripts/sbom.mjs'), outDir], { cwd: ROOT, encoding: 'utf8', env, maxBuffer: 64 * 1024 * 1024 });
  expect(r.status, r.stderr).toBe(0);
  const read = <T>(name: string): T => JSON.parse(readFileSync(join(outDir, name), 'utf8')) as T;
  return {
    stdout: r.stdout,
    stderr: r.stderr,
    cdx: read<Cdx>(`${pkg.name}-${pkg.version}.cdx.json`),
    spdx: read<Spdx>(`${pkg.name}-${pkg.version}.spdx.json`),
  };
}

let dir: string;
let run: ReturnType<typeof runSbom>;
const expected = driverSqliteVersions();

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'hm-sbom-'));
  run = runSbom(join(dir, 'out'));
}, 120_000);

afterAll(() => rmSync(dir, { recursive: true, force: true }));

describe('npm run sbom', () => {
  it('writes CycloneDX that names the app, the Electron runtime and SQLite with versions, and lists the driver', () => {
    const { cdx } = run;
    expect(cdx.bomFormat).toBe('CycloneDX');
    expect(cdx.metadata.component).toMatchObject({ name: 'harm-matrix', version: pkg.version, type: 'application' });
    const byName = (name: string) => cdx.components.filter((c) => c.name === name);

    const runtime = byName('electron').find((c) => c.type === 'framework')!;
    expect(runtime).toMatchObject({ version: electronVersion, purl: `pkg:github/electron/electron@v${electronVersion}` });
    expect(byName('SQLite')).toEqual([expect.objectContaining({ version: expected.sqlite, cpe: `cpe:2.3:a:sqlite:sqlite:${expected.sqlite}:*:*:*:*:*:*:*` })]);
    expect(byName('SQLite3 Multiple Ciphers')).toEqual([expect.objectContaining({ version: expected.mc })]);
    expect(byName('SQLite')[0].properties).toEqual([{ name: 'harm-matrix:version-source', value: expect.stringMatching(/^read from the driver at run time/) }]);

    const driver = byName(DRIVER);
    expect(driver).toEqual([expect.objectContaining({ version: driverVersion, purl: `pkg:npm/${DRIVER}@${driverVersion}` })]);
    // Who holds what: the app runs in Electron; the driver holds SQLite3MC, which holds SQLite.
    const dependsOn = (ref: string) => cdx.dependencies.find((d) => d.ref === ref)?.dependsOn ?? [];
    expect(dependsOn(cdx.metadata.component['bom-ref'])).toContain(runtime['bom-ref']);
    const mc = byName('SQLite3 Multiple Ciphers')[0];
    expect(dependsOn(driver[0]['bom-ref'])).toContain(mc['bom-ref']);
    expect(dependsOn(mc['bom-ref'])).toEqual([byName('SQLite')[0]['bom-ref']]);
    // Every bom-ref is unique, and every dependency points at a component.
    const refs = new Set([cdx.metadata.component['bom-ref'], ...cdx.components.map((c) => c['bom-ref'])]);
    expect(refs.size).toBe(cdx.components.length + 1);
    for (const d of cdx.dependencies) for (const r of [d.ref, ...d.dependsOn]) expect(refs.has(r), r).toBe(true);
  });

  it('writes SPDX that names the same, with the same versions and relationships', () => {
    const { spdx } = run;
    expect(spdx.spdxVersion).toBe('SPDX-2.3');
    expect(spdx.name).toBe(`harm-matrix@${pkg.version}`);
    const root = spdx.packages.find((p) => p.SPDXID === spdx.documentDescribes[0])!;
    expect(root).toMatchObject({ name: 'harm-matrix', versionInfo: pkg.version });
    const one = (name: string, pick: (p: SpdxPackage) => boolean = () => true) => {
      const found = spdx.packages.filter((p) => p.name === name && pick(p));
      expect(found, name).toHaveLength(1);
      return found[0];
    };
    const runtime = one('electron', (p) => p.SPDXID.startsWith('SPDXRef-Extra-'));
    expect(runtime.versionInfo).toBe(electronVersion);
    const sqlite = one('SQLite');
    expect(sqlite.versionInfo).toBe(expected.sqlite);
    expect(sqlite.externalRefs).toContainEqual(expect.objectContaining({ referenceType: 'cpe23Type', referenceLocator: `cpe:2.3:a:sqlite:sqlite:${expected.sqlite}:*:*:*:*:*:*:*` }));
    const mc = one('SQLite3 Multiple Ciphers');
    expect(mc.versionInfo).toBe(expected.mc);
    const driver = one(DRIVER);
    expect(driver.versionInfo).toBe(driverVersion);
    expect(spdx.relationships).toEqual(
      expect.arrayContaining([
        { spdxElementId: runtime.SPDXID, relatedSpdxElement: root.SPDXID, relationshipType: 'RUNTIME_DEPENDENCY_OF' },
        { spdxElementId: driver.SPDXID, relatedSpdxElement: mc.SPDXID, relationshipType: 'STATIC_LINK' },
        { spdxElementId: mc.SPDXID, relatedSpdxElement: sqlite.SPDXID, relationshipType: 'CONTAINS' },
      ]),
    );
    const ids = new Set(spdx.packages.map((p) => p.SPDXID));
    expect(ids.size).toBe(spdx.packages.length);
    for (const r of spdx.relationships) {
      if (r.spdxElementId !== 'SPDXRef-DOCUMENT') expect(ids.has(r.spdxElementId), r.spdxElementId).toBe(true);
      expect(ids.has(r.relatedSpdxElement), r.relatedSpdxElement).toBe(true);
    }
  });

  it('lists the same npm packages in both formats, from the lock file', () => {
    const lock = JSON.parse(readFileSync(join(ROOT, 'package-lock.json'), 'utf8')) as { packages: Record<string, { version?: string }> };
    const fromLock = new Set(
      Object.entries(lock.packages)
        .filter(([path]) => path.startsWith('node_modules/'))
        .map(([path, p]) => `${path.slice(path.lastIndexOf('node_modules/') + 'node_modules/'.length)}@${p.version}`),
    );
    const cdxNpm = new Set(run.cdx.components.filter((c) => c.purl?.startsWith('pkg:npm/')).map((c) => `${c.name}@${c.version}`));
    const spdxNpm = new Set(
      run.spdx.packages.filter((p) => p.externalRefs?.some((r) => r.referenceLocator.startsWith('pkg:npm/')) && p.SPDXID !== run.spdx.documentDescribes[0]).map((p) => `${p.name}@${p.versionInfo}`),
    );
    expect(cdxNpm).toEqual(spdxNpm);
    expect(cdxNpm.has(`${DRIVER}@${driverVersion}`)).toBe(true);
    for (const entry of cdxNpm) expect(fromLock.has(entry), entry).toBe(true);
  });

  it('writes SHA256SUMS that match the files, as sha256sum -c checks them', () => {
    const lines = readFileSync(join(dir, 'out', 'SHA256SUMS'), 'utf8').trim().split('\n');
    expect(lines.map((l) => l.split('  ')[1])).toEqual([`${pkg.name}-${pkg.version}.cdx.json`, `${pkg.name}-${pkg.version}.spdx.json`]);
    for (const line of lines) {
      const [hash, name] = line.split('  ');
      expect(createHash('sha256').update(readFileSync(join(dir, 'out', name))).digest('hex')).toBe(hash);
    }
  });

  it('reads the versions from the driver\'s source when the driver is built for Electron and Node cannot load it', () => {
    // Stands in for a native module built for another runtime: loading it throws as Node does then.
    const breaker = join(dir, 'driver-for-electron.cjs');
    writeFileSync(
      breaker,
      "const Module = require('node:module');\n" +
        'const load = Module._load;\n' +
        "Module._load = function (request, ...rest) {\n  if (request === 'better-sqlite3-multiple-ciphers') throw new Error('was compiled against a different Node.js version using NODE_MODULE_VERSION 139');\n  return load.call(this, request, ...rest);\n};\n",
    );
    const fallback = runSbom(join(dir, 'fallback'), { ...process.env, NODE_OPTIONS: `--require "${breaker}"` });
    expect(fallback.stderr).toContain('the SQLite versions come from its source');
    const sqlite = fallback.cdx.components.find((c) => c.name === 'SQLite')!;
    expect(sqlite.version).toBe(expected.sqlite);
    expect(fallback.cdx.components.find((c) => c.name === 'SQLite3 Multiple Ciphers')!.version).toBe(expected.mc);
    expect(sqlite.properties).toEqual([{ name: 'harm-matrix:version-source', value: expect.stringMatching(/^read from the source/) }]);
  }, 120_000);

  it('refuses an option it does not know', () => {
    const r = spawnSync(process.execPath, [join(ROOT, 'scripts/sbom.mjs'), '--out', dir], { cwd: ROOT, encoding: 'utf8' });
    expect(r.status).toBe(1);
    expect(r.stderr).toContain('usage: npm run sbom [-- FOLDER]');
  });
});
