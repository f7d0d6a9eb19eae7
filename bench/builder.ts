import { execFile } from 'node:child_process';
import { rmSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { genesysCollection, syntheticCollection, type InputCollection } from './lib/inputs.ts';
import { BENCH_BUILD, DIST_CLI } from './lib/paths.ts';
import { makeTempDir, removeTempDir, track } from './lib/processes.ts';
import { linearFit, median, round } from './lib/stats.ts';

interface ChildReport {
  loadMs: number;
  workMs: number;
  maxRssKiB: number;
}

export interface BuilderCase {
  name: string;
  requests: number;
  megabytes: number;
  /** Median time of the inject work (after the CLI module loaded). */
  injectMs: number;
  /** Median time to load dist/cli.js and its dependencies (same for every size). */
  injectLoadMs: number;
  /** Median read + JSON.parse + JSON.stringify + write of the same file. */
  floorMs: number;
  /** injectMs / floorMs. Target <= 1.2. */
  ratio: number;
  /** Profile: the floor's work in a process that first loaded dist/cli.js (median). */
  floorLoadedMs?: number;
  /** Median wall time of the whole `inject` process (node start to exit). */
  injectProcessMs: number;
  floorProcessMs: number;
  injectPeakMiB: number;
  floorPeakMiB: number;
  msPer1kRequests: number;
}

export interface BuilderResult {
  runs: number;
  cases: BuilderCase[];
  skipped: string[];
  /** Least-squares fit of inject time against request count over the synthetic sizes. */
  linearity?: { msPer1kRequests: number; interceptMs: number; r2: number };
}

function runChild(args: string[]): Promise<ChildReport & { processMs: number }> {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    const child = execFile(process.execPath, [path.join(BENCH_BUILD, 'builder-child.js'), ...args], { maxBuffer: 1 << 20 }, (error, stdout, stderr) => {
      const processMs = performance.now() - t0;
      if (error) return reject(new Error(`builder child ${args[0]} failed: ${stderr || error.message}`));
      resolve({ ...(JSON.parse(stdout.trim().split('\n').pop() as string) as ChildReport), processMs });
    });
    track(child);
  });
}

/**
 * Section 4: `postman-oauth-kit inject` on the Genesys Platform API collection
 * and on synthetic collections, each run in its own process (peak memory is
 * that process's maxRSS), interleaved with the floor on the same file.
 */
export async function benchBuilder(opts: {
  sizes: number[];
  runs: number;
  genesys: boolean;
  profile: boolean;
  log: (s: string) => void;
}): Promise<BuilderResult> {
  const inputs: InputCollection[] = [];
  const skipped: string[] = [];
  if (opts.genesys) {
    const genesys = await genesysCollection(opts.log);
    if ('skipped' in genesys) skipped.push(`Genesys Platform API: ${genesys.skipped}`);
    else inputs.push(genesys);
  }
  for (const size of opts.sizes) inputs.push(syntheticCollection(size));

  const dir = makeTempDir('poak-bench-builder-');
  const cases: BuilderCase[] = [];
  try {
    for (const input of inputs) {
      const out = path.join(dir, 'out.postman_collection.json');
      const inject: Array<ChildReport & { processMs: number }> = [];
      const floor: Array<ChildReport & { processMs: number }> = [];
      const floorLoaded: number[] = [];
      for (let round = -1; round < opts.runs; round++) {
        const a = await runChild(['inject', DIST_CLI, input.file, out, ...input.injectOptions]);
        const b = await runChild(['floor', input.file, out]);
        const c = opts.profile ? await runChild(['floor-loaded', DIST_CLI, input.file, out]) : undefined;
        if (round >= 0) {
          inject.push(a);
          floor.push(b);
          if (c) floorLoaded.push(c.workMs);
        }
        rmSync(out, { force: true });
      }
      const injectMs = median(inject.map((r) => r.workMs));
      const floorMs = median(floor.map((r) => r.workMs));
      const c: BuilderCase = {
        name: input.name,
        requests: input.requests,
        megabytes: round(input.bytes / 2 ** 20, 1),
        injectMs: round(injectMs, 1),
        injectLoadMs: round(median(inject.map((r) => r.loadMs)), 1),
        floorMs: round(floorMs, 1),
        ratio: round(injectMs / floorMs, 3),
        injectProcessMs: round(median(inject.map((r) => r.processMs)), 1),
        floorProcessMs: round(median(floor.map((r) => r.processMs)), 1),
        injectPeakMiB: round(median(inject.map((r) => r.maxRssKiB)) / 1024, 1),
        floorPeakMiB: round(median(floor.map((r) => r.maxRssKiB)) / 1024, 1),
        msPer1kRequests: round((injectMs / input.requests) * 1000, 2),
      };
      if (floorLoaded.length) c.floorLoadedMs = round(median(floorLoaded), 1);
      cases.push(c);
      opts.log(
        `  builder ${c.name}: inject ${c.injectMs} ms vs floor ${c.floorMs} ms (x${c.ratio})${c.floorLoadedMs !== undefined ? `, floor after loading the CLI ${c.floorLoadedMs} ms` : ''}, peak ${c.injectPeakMiB} vs ${c.floorPeakMiB} MiB`,
      );
    }
  } finally {
    removeTempDir(dir);
  }
  const synthetic = cases.filter((c) => c.name.startsWith('synthetic'));
  const result: BuilderResult = { runs: opts.runs, cases, skipped };
  if (synthetic.length >= 2) {
    const fit = linearFit(synthetic.map((c) => [c.requests, c.injectMs] as const));
    result.linearity = { msPer1kRequests: round(fit.slope * 1000, 2), interceptMs: round(fit.intercept, 1), r2: round(fit.r2, 4) };
  }
  return result;
}
