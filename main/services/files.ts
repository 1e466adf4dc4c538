import { existsSync, statSync } from 'node:fs';
import { basename, dirname, isAbsolute, resolve } from 'node:path';
import { VaultError } from '../vault/errors';

/**
 * Where a new file (an export, an anchor) goes: a relative path is taken from the documents
 * folder; the folder must exist; the file must not (`what` names it in the refusal: "An export").
 */
export function newFileTarget(documentsDir: string, path: string, what: string): string {
  const full = isAbsolute(path) ? resolve(path) : resolve(documentsDir, path);
  let folder;
  try {
    folder = statSync(dirname(full));
  } catch {
    throw new VaultError('not_found', `The folder ${dirname(full)} does not exist.`);
  }
  if (!folder.isDirectory()) throw new VaultError('not_found', `${dirname(full)} is not a folder.`);
  if (existsSync(full)) throw new VaultError('exists', `${basename(full)} already exists. ${what} never replaces a file: choose a new name.`);
  return full;
}
