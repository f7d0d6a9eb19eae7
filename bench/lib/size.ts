import { existsSync, readdirSync, readFileSync } from 'node:fs';
import path from 'node:path';
import { gzipSync } from 'node:zlib';
import { DIST_SCRIPTS, SIZE_BUDGET } from './paths.ts';

export interface BundleSize {
  /** Rollup entry name (scripts-src/entries/<entry>.ts -> dist/scripts/<entry>.js). */
  entry: string;
  bytes: number;
  gzipBytes: number;
}

export interface SizeBudget {
  /** Maximum size in bytes of each dist/scripts/<entry>.js. */
  bytes: Record<string, number>;
}

/** Sizes of every built pre-request script in dist/scripts, by entry name. */
export function bundleSizes(dir = DIST_SCRIPTS): BundleSize[] {
  if (!existsSync(dir)) throw new Error(`${dir} is missing: run "npm run build" first.`);
  return readdirSync(dir)
    .filter((f) => f.endsWith('.js'))
    .sort()
    .map((f) => {
      const content = readFileSync(path.join(dir, f));
      return { entry: f.slice(0, -3), bytes: content.length, gzipBytes: gzipSync(content, { level: 9 }).length };
    });
}

/** The checked-in size budget (bench/size-budget.json). */
export function readBudget(file = SIZE_BUDGET): SizeBudget {
  const data = JSON.parse(readFileSync(file, 'utf8')) as Partial<SizeBudget>;
  if (!data.bytes || typeof data.bytes !== 'object') throw new Error(`${file} has no "bytes" object`);
  return { bytes: data.bytes };
}
