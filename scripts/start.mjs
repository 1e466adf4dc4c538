#!/usr/bin/env node
/**
 * `npm start`: set up and start the app on a fresh machine, in one command.
 *
 *   1. install the dependencies exactly as locked (`npm ci`) if they are missing or out of date;
 *   2. build main, preload and renderer (electron-vite);
 *   3. make sure the SQLite driver is built for Electron's runtime (it is built for Node by
 *      `npm ci`; `npm test` turns it back when it runs);
 *   4. start the built app (electron-vite preview).
 *
 * The first run on a machine downloads the Electron binary and Electron's headers, so it needs a
 * connection; after that it starts offline. Workstations get an installer instead (README).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { electronBinaryOrDownload, ensureDriverForElectron, heading, ROOT, runNpm, runTool } from './lib.mjs';

function fail(message) {
  process.stderr.write(`\n${message}\n`);
  process.exit(1);
}

const installed = join(ROOT, 'node_modules', '.package-lock.json');
const locked = join(ROOT, 'package-lock.json');
if (!existsSync(installed) || statSync(installed).mtimeMs < statSync(locked).mtimeMs) {
  heading('Installing dependencies (npm ci)');
  if (runNpm(['ci']) !== 0) fail('npm ci failed: see above.');
}

heading('Building (electron-vite build)');
if (runTool('electronVite', ['build']) !== 0) fail('The build failed: see above.');

heading('Checking the Electron binary');
let electronBinary;
try {
  electronBinary = electronBinaryOrDownload();
} catch (e) {
  fail(`The Electron binary could not be found or downloaded (${e instanceof Error ? e.message : e}). The first start needs a network connection.`);
}
if (!ensureDriverForElectron(electronBinary)) fail("The SQLite driver could not be built for Electron's runtime: see above.");

heading('Starting Harm Matrix');
process.exit(runTool('electronVite', ['preview', '--skipBuild']));
