import { existsSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { fileURLToPath } from 'node:url';

/** The repository root: the nearest folder up from this module whose package.json is ours. */
function findRoot(): string {
  let dir = path.dirname(fileURLToPath(import.meta.url));
  for (;;) {
    const pkg = path.join(dir, 'package.json');
    if (existsSync(pkg) && (JSON.parse(readFileSync(pkg, 'utf8')) as { name?: string }).name === 'postman-oauth-kit') return dir;
    const up = path.dirname(dir);
    if (up === dir) throw new Error('bench: cannot find the postman-oauth-kit package root');
    dir = up;
  }
}

export const ROOT = findRoot();
export const DIST_SCRIPTS = path.join(ROOT, 'dist', 'scripts');
export const DIST_CLI = path.join(ROOT, 'dist', 'cli.js');
/** Built benchmark modules (bench/rollup.config.mjs). */
export const BENCH_BUILD = path.join(ROOT, '.tmp', 'bench');
/** Generated input collections, kept between runs (git-ignored). */
export const BENCH_CACHE = path.join(ROOT, '.tmp', 'bench-cache');
export const RESULTS = path.join(ROOT, 'bench', 'results');
export const SIZE_BUDGET = path.join(ROOT, 'bench', 'size-budget.json');
export const SHARED = path.resolve(ROOT, '..', 'shared');
export const GENESYS_SWAGGER = path.join(SHARED, 'genesys', 'platform-api-swagger-2018.json');
