/**
 * npm run sbom [-- FOLDER]: the software bill of materials for a security review, as CycloneDX
 * JSON and SPDX JSON, written to FOLDER (default dist/sbom/) with a SHA256SUMS file beside them.
 *
 * The package list comes from package-lock.json through `npm sbom --package-lock-only`, which
 * needs no network. npm knows nothing of what the app carries outside npm, so three components
 * are added:
 * - the Electron runtime, the app's own executable (its version from node_modules/electron);
 * - SQLite and SQLite3 Multiple Ciphers, compiled into the driver's native module: their versions
 *   are asked of the driver itself (`select sqlite_version()` on an in-memory database). After
 *   `npm run dist` the driver is built for Electron and Node cannot load it; the versions are then
 *   read from the source the module was built from, and the SBOM says which way they were found.
 * Where the Electron binary has been downloaded, its Chromium, Node.js and V8 versions are added
 * too. Every package in the lock file is listed, development ones marked as npm marks them:
 * React, ag-grid and Chart.js are development packages that are bundled into the app's page.
 */
import { createHash } from 'node:crypto';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { basename, dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const require = createRequire(join(ROOT, 'package.json'));
const DRIVER = 'better-sqlite3-multiple-ciphers';
const PROPERTY = 'harm-matrix:version-source';

function fail(message) {
  process.stderr.write(`sbom: ${message}\n`);
  process.exit(1);
}

function readJson(path) {
  return JSON.parse(readFileSync(path, 'utf8'));
}

/** npm itself: the one running this script when there is one, else the npm on the PATH. */
function runNpmSbom(format) {
  const args = ['sbom', '--sbom-format', format, '--sbom-type', 'application', '--package-lock-only'];
  const execPath = process.env.npm_execpath;
  const r =
    execPath && /npm-cli\.[cm]?js$/.test(basename(execPath))
      ? spawnSync(process.execPath, [execPath, ...args], { cwd: ROOT, encoding: 'utf8', maxBuffer: 256 * 1024 * 1024 })
      : spawnSync(process.platform === 'win32' ? 'npm.cmd' : 'npm', args, {
          cwd: ROOT,
          encoding: 'utf8',
          maxBuffer: 256 * 1024 * 1024,
          shell: process.platform === 'win32',
        });
  if (r.error) fail(`could not run npm sbom: ${r.error.message}`);
  if (r.status !== 0) fail(`npm sbom --sbom-format ${format} failed:\n${(r.stderr || r.stdout).trim()}`);
  try {
    return JSON.parse(r.stdout);
  } catch {
    fail(`npm sbom --sbom-format ${format} did not write JSON`);
  }
}

function electronVersion() {
  try {
    return readJson(require.resolve('electron/package.json')).version;
  } catch {
    fail('node_modules/electron is missing: run npm ci first.');
  }
}

/**
 * Chromium, Node.js and V8 inside the Electron binary, when it has been downloaded (never
 * require('electron') to find it: that starts a download). Null when there is no binary.
 */
function electronInnerVersions() {
  const pkgDir = dirname(require.resolve('electron/package.json'));
  const pathFile = join(pkgDir, 'path.txt');
  if (!existsSync(pathFile)) return null;
  const binary = join(pkgDir, 'dist', readFileSync(pathFile, 'utf8').trim());
  if (!existsSync(binary)) return null;
  const r = spawnSync(binary, ['-p', 'JSON.stringify(process.versions)'], {
    encoding: 'utf8',
    timeout: 30_000,
    env: { ...process.env, ELECTRON_RUN_AS_NODE: '1' },
  });
  try {
    const v = JSON.parse(r.stdout);
    return typeof v.chrome === 'string' && typeof v.node === 'string' && typeof v.v8 === 'string' ? { chrome: v.chrome, node: v.node, v8: v.v8 } : null;
  } catch {
    return null;
  }
}

/** SQLite's and SQLite3 Multiple Ciphers' versions, from the driver, else from its source. */
function sqliteVersions() {
  try {
    const Database = require(DRIVER);
    const db = new Database(':memory:');
    try {
      const sqlite = db.prepare('select sqlite_version() as v').get().v;
      const mc = /(\d+\.\d+\.\d+)/.exec(db.prepare('select sqlite3mc_version() as v').get().v)?.[1];
      if (!mc) fail('the driver did not report its SQLite3 Multiple Ciphers version');
      return { sqlite, mc, source: 'read from the driver at run time (select sqlite_version(), sqlite3mc_version())' };
    } finally {
      db.close();
    }
  } catch (e) {
    const header = join(dirname(require.resolve(`${DRIVER}/package.json`)), 'deps', 'sqlite3', 'sqlite3.h');
    if (!existsSync(header)) fail(`the driver does not load in Node and its source is not there: ${e instanceof Error ? e.message : e}`);
    const text = readFileSync(header, 'utf8');
    const sqlite = /#define SQLITE_VERSION\s+"([^"]+)"/.exec(text)?.[1];
    const mc = ['MAJOR', 'MINOR', 'RELEASE'].map((part) => new RegExp(`#define SQLITE3MC_VERSION_${part}\\s+(\\d+)`).exec(text)?.[1]);
    if (!sqlite || mc.includes(undefined)) fail(`the driver does not load in Node, and ${header} does not state the versions`);
    process.stderr.write(`sbom: the driver is built for Electron here, so the SQLite versions come from its source (${header}).\n`);
    return { sqlite, mc: mc.join('.'), source: "read from the source the driver's native module is built from (deps/sqlite3/sqlite3.h)" };
  }
}

/**
 * The components npm does not know of, in one form for both formats. `parent` is the key of what
 * holds each one: 'root' (the app), 'driver' (the driver's npm package) or another extra.
 */
function extraComponents() {
  const electron = electronVersion();
  const inner = electronInnerVersions();
  const sql = sqliteVersions();
  const list = [
    {
      key: 'electron-runtime',
      type: 'framework',
      name: 'electron',
      version: electron,
      description: "The Electron runtime: the app's executable, with Chromium, Node.js and V8 inside it.",
      license: 'MIT',
      purl: `pkg:github/electron/electron@v${electron}`,
      cpe: `cpe:2.3:a:electronjs:electron:${electron}:*:*:*:*:node.js:*:*`,
      source: 'read from node_modules/electron/package.json',
      parent: 'root',
    },
    {
      key: 'sqlite3mc',
      type: 'library',
      name: 'SQLite3 Multiple Ciphers',
      version: sql.mc,
      description: `The encryption extension and SQLite amalgamation compiled into the native module of ${DRIVER}.`,
      license: 'MIT',
      purl: `pkg:github/utelle/SQLite3MultipleCiphers@v${sql.mc}`,
      source: sql.source,
      parent: 'driver',
    },
    {
      key: 'sqlite',
      type: 'library',
      name: 'SQLite',
      version: sql.sqlite,
      description: 'The SQLite database engine inside SQLite3 Multiple Ciphers.',
      license: 'blessing',
      purl: `pkg:generic/sqlite@${sql.sqlite}`,
      cpe: `cpe:2.3:a:sqlite:sqlite:${sql.sqlite}:*:*:*:*:*:*:*`,
      source: sql.source,
      parent: 'sqlite3mc',
    },
  ];
  if (inner) {
    const from = 'read from process.versions of the downloaded Electron binary';
    list.push(
      { key: 'chromium', type: 'framework', name: 'Chromium', version: inner.chrome, description: 'The browser engine inside Electron.', license: 'BSD-3-Clause', purl: `pkg:generic/chromium@${inner.chrome}`, cpe: `cpe:2.3:a:google:chrome:${inner.chrome}:*:*:*:*:*:*:*`, source: from, parent: 'electron-runtime' },
      { key: 'nodejs', type: 'framework', name: 'Node.js', version: inner.node, description: 'The Node.js runtime inside Electron.', license: 'MIT', purl: `pkg:generic/nodejs@${inner.node}`, cpe: `cpe:2.3:a:nodejs:node.js:${inner.node}:*:*:*:*:*:*:*`, source: from, parent: 'electron-runtime' },
      { key: 'v8', type: 'library', name: 'V8', version: inner.v8, description: 'The JavaScript engine inside Electron.', license: 'BSD-3-Clause', purl: `pkg:generic/v8@${inner.v8}`, source: from, parent: 'electron-runtime' },
    );
  }
  return list;
}

function extendCycloneDx(bom, pkg, list) {
  // npm names the root after its folder; the product has one name.
  bom.metadata.component.name = pkg.name;
  const driver = bom.components.find((c) => c.name === DRIVER);
  if (!driver) fail(`${DRIVER} is not in the lock file's tree`);
  const refs = new Map([
    ['root', bom.metadata.component['bom-ref']],
    ['driver', driver['bom-ref']],
    ...list.map((c) => [c.key, `extra:${c.key}@${c.version}`]),
  ]);
  const refOf = (key) => refs.get(key);
  for (const c of list) {
    bom.components.push({
      'bom-ref': refOf(c.key),
      type: c.type,
      name: c.name,
      version: c.version,
      scope: 'required',
      description: c.description,
      purl: c.purl,
      ...(c.cpe ? { cpe: c.cpe } : {}),
      licenses: [{ license: { id: c.license } }],
      properties: [{ name: PROPERTY, value: c.source }],
    });
    const parentRef = refOf(c.parent);
    let entry = bom.dependencies.find((d) => d.ref === parentRef);
    if (!entry) bom.dependencies.push((entry = { ref: parentRef, dependsOn: [] }));
    entry.dependsOn.push(refOf(c.key));
    bom.dependencies.push({ ref: refOf(c.key), dependsOn: [] });
  }
}

function extendSpdx(doc, pkg, list) {
  const driver = doc.packages.find((p) => p.name === DRIVER);
  if (!driver) fail(`${DRIVER} is not in the lock file's tree`);
  const ids = new Map([
    ['root', doc.documentDescribes[0]],
    ['driver', driver.SPDXID],
    ...list.map((c) => [c.key, `SPDXRef-Extra-${c.key}-${c.version.replace(/[^A-Za-z0-9.-]/g, '-')}`]),
  ]);
  const idOf = (key) => ids.get(key);
  doc.name = `${pkg.name}@${pkg.version}`;
  for (const c of list) {
    doc.packages.push({
      name: c.name,
      SPDXID: idOf(c.key),
      versionInfo: c.version,
      description: c.description,
      primaryPackagePurpose: c.type === 'framework' ? 'FRAMEWORK' : 'LIBRARY',
      downloadLocation: 'NOASSERTION',
      filesAnalyzed: false,
      licenseDeclared: c.license,
      comment: `Version ${c.source}.`,
      externalRefs: [
        { referenceCategory: 'PACKAGE-MANAGER', referenceType: 'purl', referenceLocator: c.purl },
        ...(c.cpe ? [{ referenceCategory: 'SECURITY', referenceType: 'cpe23Type', referenceLocator: c.cpe }] : []),
      ],
    });
    // SPDX 2.3: the driver's module is statically linked to SQLite3MC, which contains SQLite;
    // the runtime is what the app runs in.
    const relationshipType = c.parent === 'root' ? 'RUNTIME_DEPENDENCY_OF' : c.key === 'sqlite3mc' ? 'STATIC_LINK' : 'CONTAINS';
    doc.relationships.push(
      relationshipType === 'RUNTIME_DEPENDENCY_OF'
        ? { spdxElementId: idOf(c.key), relatedSpdxElement: idOf(c.parent), relationshipType }
        : { spdxElementId: idOf(c.parent), relatedSpdxElement: idOf(c.key), relationshipType },
    );
  }
}

function main() {
  const args = process.argv.slice(2);
  if (args.length > 1 || args.some((a) => a.startsWith('-'))) fail('usage: npm run sbom [-- FOLDER]   (default dist/sbom/)');
  const outDir = resolve(args[0] ?? join(ROOT, 'dist', 'sbom'));
  const pkg = readJson(join(ROOT, 'package.json'));
  if (!existsSync(join(ROOT, 'package-lock.json'))) fail('package-lock.json is missing: the SBOM is made from the lock file.');

  const cdx = runNpmSbom('cyclonedx');
  const spdx = runNpmSbom('spdx');
  const added = extraComponents();
  extendCycloneDx(cdx, pkg, added);
  extendSpdx(spdx, pkg, added);

  mkdirSync(outDir, { recursive: true });
  const files = {
    [`${pkg.name}-${pkg.version}.cdx.json`]: `${JSON.stringify(cdx, null, 2)}\n`,
    [`${pkg.name}-${pkg.version}.spdx.json`]: `${JSON.stringify(spdx, null, 2)}\n`,
  };
  const sums = [];
  for (const [name, text] of Object.entries(files)) {
    writeFileSync(join(outDir, name), text);
    sums.push(`${createHash('sha256').update(text).digest('hex')}  ${name}`);
  }
  writeFileSync(join(outDir, 'SHA256SUMS'), `${sums.join('\n')}\n`);

  process.stdout.write(`SBOM for ${pkg.name} ${pkg.version}: ${cdx.components.length} components, written to ${outDir}\n`);
  for (const name of [...Object.keys(files), 'SHA256SUMS']) process.stdout.write(`  ${name}\n`);
  for (const c of added) process.stdout.write(`  added: ${c.name} ${c.version}, ${c.source}\n`);
  if (!added.some((c) => c.key === 'chromium')) {
    const electron = added.find((c) => c.key === 'electron-runtime').version;
    process.stdout.write(`  Chromium, Node.js and V8 are not listed: the Electron binary is not downloaded here (Electron ${electron}'s release notes name them).\n`);
  }
}

main();
