import { promises as fs } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { CliError, EXIT } from './errors.ts';
import type { Bundle } from './inject.ts';

/** The package root: the folder holding package.json, from dist/ or from build/ (tests). */
export function packageRoot(): string {
  const here = path.dirname(fileURLToPath(import.meta.url));
  return path.basename(here) === 'dist' || path.basename(here) === 'build' ? path.dirname(here) : path.resolve(here, '..');
}

export async function packageVersion(): Promise<string> {
  const pkg = JSON.parse(await fs.readFile(path.join(packageRoot(), 'package.json'), 'utf8')) as { version: string };
  return pkg.version;
}

async function readScript(name: string): Promise<string> {
  const file = path.join(packageRoot(), 'dist', 'scripts', `${name}.js`);
  try {
    return await fs.readFile(file, 'utf8');
  } catch {
    throw new CliError('BUNDLE_MISSING', `the script ${file} has not been built. Run "npm run build" first.`, EXIT.failed);
  }
}

/** Loads a built pre-request script and the post-response (401 recovery) script from dist/scripts. */
export async function loadBundle(name = 'all-grants'): Promise<Bundle> {
  const code = await readScript(name);
  const afterResponse = await readScript('after-response');
  return { code, afterResponse, version: await packageVersion() };
}
