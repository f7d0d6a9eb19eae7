import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import {
  builtScript,
  DEMO_SECRETS,
  environment,
  minimalAsyncScript,
  minimalScript,
  requestsCollection,
  withBundle,
  withScript,
  withStaticToken,
} from './lib/collections.ts';
import { countCalls, replayScript, runInFakePm } from './lib/census.ts';
import { makeTempDir, removeTempDir } from './lib/processes.ts';
import { startMockProcess } from './lib/mock-process.ts';
import { runNewman } from './lib/newman.ts';
import { median, round } from './lib/stats.ts';

export interface OverheadVariant {
  id: string;
  label: string;
  scriptBytes: number;
  runsMs: number[];
  /** Median run time / requests. */
  msPerRequest: number;
  /** Median over rounds of (this variant - no-script variant) in the same round, ms per request. */
  overheadMs: number;
}

export interface OverheadResult {
  requests: number;
  runs: number;
  variants: OverheadVariant[];
  /** c/b: this project's bundle against the minimal 1 KB script, median of the per-round ratios. Target <= 1.05. */
  ratioBundleToMinimal: number;
  /** s/b: the slim client-credentials script without 401 recovery against the minimal script. */
  ratioSlimToMinimal: number;
  /** c/d: the bundle against a do-nothing script padded to the bundle's size (what the size alone costs). */
  ratioBundleToPadded?: number;
  /** pm API calls the bundle makes for a request with a cached token (lib/census.ts). */
  pmCalls?: Record<string, number>;
  /** Where the bundle's extra time over the minimal script goes, ms per request (profile runs only). */
  attribution?: {
    totalOverMinimal: number;
    /** d - b: bytes alone (a comment block of the bundle's size). */
    scriptSize: number;
    /** e - b: the bundle's pm calls, replayed. */
    pmCalls: number;
    /** f - b: completing after an await. */
    asyncCompletion: number;
    /** g - e: compiling the bundle's code without running it. */
    compileCode: number;
    /** c - g: running the bundle's logic (what is left). */
    runLogic: number;
  };
  /** The bundle's own JavaScript per cached request in a Node vm with a fake pm, microseconds. */
  bundleJsMicros?: number;
}

interface Variant {
  id: string;
  label: string;
  scriptBytes: number;
  collection: Record<string, unknown>;
  environmentFile?: string;
}

/**
 * Section 1: per-request cost of the pre-request script in newman, token cached.
 * Every variant sends the same requests to the same loopback mock; the runs are
 * interleaved (a rotating order per round) so drift on a shared machine hits
 * all variants alike, and a warm-up round is discarded.
 */
export async function benchOverhead(opts: { requests: number; runs: number; profile: boolean; log: (s: string) => void }): Promise<OverheadResult> {
  const mock = await startMockProcess(86399);
  const dir = makeTempDir('poak-bench-overhead-');
  try {
    const base = requestsCollection('overhead', opts.requests, mock.origin);
    const bundle = builtScript('all-grants');
    const bundleCollection = withBundle(base, mock.tokenUrl, 'environment');

    // Prime the environment store with a token, as a previous run would have.
    const primeEnv = path.join(dir, 'prime.postman_environment.json');
    const cachedEnv = path.join(dir, 'cached.postman_environment.json');
    writeFileSync(primeEnv, JSON.stringify(environment('bench', DEMO_SECRETS)));
    const prime = await runNewman({
      collection: withBundle(requestsCollection('prime', 1, mock.origin), mock.tokenUrl, 'environment'),
      environment: primeEnv,
      exportEnvironment: cachedEnv,
    });
    if (prime.failures.length) throw new Error(`priming run failed: ${prime.failures.join('; ')}`);
    const cached = JSON.parse(readFileSync(cachedEnv, 'utf8')) as { values: Array<{ key: string; value: string }> };
    const token = cached.values.find((v) => v.key === 'oauth_access_token')?.value;
    if (!token) throw new Error('priming run left no oauth_access_token in the exported environment');

    const variants: Variant[] = [
      { id: 'a', label: 'no script, static token', scriptBytes: 0, collection: withStaticToken(base, token) },
      { id: 'b', label: 'minimal 1 KB script', scriptBytes: 1024, collection: withScript(base, minimalScript(1024)), environmentFile: cachedEnv },
      {
        id: 'c',
        label: 'postman-oauth-kit default (all-grants + 401-recovery post-response script)',
        scriptBytes: Buffer.byteLength(bundle) + Buffer.byteLength(builtScript('after-response')),
        collection: bundleCollection,
        environmentFile: cachedEnv,
      },
      {
        id: 's',
        label: 'postman-oauth-kit --slim --skip-401-recovery (client-credentials script only)',
        scriptBytes: Buffer.byteLength(builtScript('client-credentials')),
        collection: withBundle(base, mock.tokenUrl, 'environment', 'client-credentials', false),
        environmentFile: cachedEnv,
      },
    ];
    let census: Record<string, number> | undefined;
    let jsMicros: number | undefined;
    if (opts.profile) {
      const settings = Object.fromEntries(
        ((bundleCollection['variable'] as Array<{ key: string; value: string }> | undefined) ?? []).map((v) => [v.key, v.value]),
      );
      const fake = await runInFakePm(bundle, { ...settings, ...Object.fromEntries(cached.values.map((v) => [v.key, v.value])) }, 2000);
      const calls = fake.calls;
      census = countCalls(calls);
      jsMicros = fake.microsPerRun;
      variants.push({
        id: 'f',
        label: 'minimal script completing after one await (profile: async completion)',
        scriptBytes: Buffer.byteLength(minimalAsyncScript()),
        collection: withScript(base, minimalAsyncScript()),
        environmentFile: cachedEnv,
      });
      const replay = replayScript(calls);
      variants.push({
        id: 'e',
        label: `the bundle's ${calls.length} pm calls replayed without its logic (profile)`,
        scriptBytes: Buffer.byteLength(replay),
        collection: { ...structuredClone(bundleCollection), event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: replay.split('\n') } }] },
        environmentFile: cachedEnv,
      });
      // The bundle's code, compiled but never called, plus the replayed pm calls:
      // g - e is what compiling 25 KB of real code (not comments) costs per request.
      const uncalled = `${replay}\n// Profile: the bundle below is compiled but never run.\n(function () {\n${bundle}\n});`;
      variants.push({
        id: 'g',
        label: "the bundle's pm calls replayed + its code compiled but never called (profile)",
        scriptBytes: Buffer.byteLength(uncalled),
        collection: { ...structuredClone(bundleCollection), event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: uncalled.split('\n') } }] },
        environmentFile: cachedEnv,
      });
      const padded = Buffer.byteLength(bundle);
      variants.push({
        id: 'd',
        label: `minimal script padded to ${padded} B (profile: size alone)`,
        scriptBytes: padded,
        collection: withScript(base, minimalScript(padded)),
        environmentFile: cachedEnv,
      });
    }

    const times = new Map<string, number[]>(variants.map((v) => [v.id, []]));
    for (let round = -1; round < opts.runs; round++) {
      const order = variants.map((_, i) => variants[(i + Math.max(round, 0)) % variants.length] as Variant);
      for (const variant of order) {
        // The mock's reset would forget the cached token too: count by difference instead.
        const before = await mock.stats();
        const run = await runNewman({
          collection: variant.collection,
          ...(variant.environmentFile ? { environment: variant.environmentFile } : {}),
        });
        const after = await mock.stats();
        const stats = {
          apiCalls: after.apiCalls - before.apiCalls,
          apiUnauthorized: after.apiUnauthorized - before.apiUnauthorized,
          tokenCalls: after.tokenCalls - before.tokenCalls,
        };
        if (run.failures.length || stats.apiCalls !== opts.requests || stats.apiUnauthorized !== 0 || stats.tokenCalls !== 0) {
          throw new Error(
            `variant ${variant.id} did not run cleanly (api ${stats.apiCalls}/${opts.requests}, 401s ${stats.apiUnauthorized}, token calls ${stats.tokenCalls}): ${run.failures.slice(0, 3).join('; ')}`,
          );
        }
        if (round >= 0) times.get(variant.id)?.push(run.ms);
        opts.log(`  overhead ${round < 0 ? 'warm-up' : `round ${round + 1}/${opts.runs}`} ${variant.id}: ${round3(run.ms / opts.requests)} ms/request`);
      }
    }
    const perRequest = (id: string) => median(times.get(id) ?? []) / opts.requests;
    // Ratios and differences are taken within each round (runs minutes apart see
    // different load on a shared machine), then the median over rounds.
    const perRound = (id: string) => (times.get(id) ?? []).map((ms) => ms / opts.requests);
    const roundRatio = (x: string, y: string) => median(perRound(x).map((v, i) => v / (perRound(y)[i] as number)));
    const roundDiff = (x: string, y: string) => median(perRound(x).map((v, i) => v - (perRound(y)[i] as number)));
    const a = perRequest('a');
    const result: OverheadResult = {
      requests: opts.requests,
      runs: opts.runs,
      variants: [...variants].sort((x, y) => x.id.localeCompare(y.id)).map((v) => ({
        id: v.id,
        label: v.label,
        scriptBytes: v.scriptBytes,
        runsMs: times.get(v.id) ?? [],
        msPerRequest: round(perRequest(v.id), 3),
        overheadMs: round(roundDiff(v.id, 'a'), 3),
      })),
      ratioBundleToMinimal: round(roundRatio('c', 'b'), 3),
      ratioSlimToMinimal: round(roundRatio('s', 'b'), 3),
    };
    if (opts.profile) {
      result.ratioBundleToPadded = round(roundRatio('c', 'd'), 3);
      if (census) result.pmCalls = census;
      const total = roundDiff('c', 'b');
      const sizeCost = roundDiff('d', 'b');
      const callsCost = roundDiff('e', 'b');
      result.attribution = {
        totalOverMinimal: round(total, 3),
        scriptSize: round(sizeCost, 3),
        pmCalls: round(callsCost, 3),
        asyncCompletion: round(roundDiff('f', 'b'), 3),
        compileCode: round(roundDiff('g', 'e'), 3),
        runLogic: round(roundDiff('c', 'g'), 3),
      };
      if (jsMicros !== undefined) result.bundleJsMicros = round(jsMicros, 1);
    }
    return result;
  } finally {
    await mock.stop();
    removeTempDir(dir);
  }
}

function round3(n: number): number {
  return round(n, 3);
}
