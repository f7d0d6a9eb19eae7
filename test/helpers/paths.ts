import { existsSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

export const ROOT = path.resolve(path.dirname(fileURLToPath(import.meta.url)), '..', '..');
export const DIST_SCRIPT = path.join(ROOT, 'dist', 'scripts', 'all-grants.js');
export const DIST_AFTER_RESPONSE = path.join(ROOT, 'dist', 'scripts', 'after-response.js');
export const DIST_CLI = path.join(ROOT, 'dist', 'cli.js');
export const COLLECTIONS = path.join(ROOT, 'collections');
export const FIXTURES = path.join(ROOT, 'test', 'fixtures');

/** `../shared` beside the repository (the project's shared folder; CI lays a copy there). */
export const SHARED = path.resolve(ROOT, '..', 'shared');

/**
 * Path of a file in ../shared. Throws a clear error when it is absent, so a test
 * that needs it fails loudly instead of passing silently.
 */
export function sharedFile(relative: string): string {
  const file = path.join(SHARED, relative);
  if (!existsSync(file)) {
    throw new Error(
      `../shared/${relative} is missing (looked at ${file}). These tests need the project's shared folder beside the repository; CI provides it.`,
    );
  }
  return file;
}

/** Throws when the build output the end-to-end tests run is missing. */
export function requireBuilt(): void {
  for (const file of [DIST_SCRIPT, DIST_AFTER_RESPONSE, DIST_CLI]) {
    if (!existsSync(file)) throw new Error(`${file} is missing: run "npm run build" first (npm test does).`);
  }
}
