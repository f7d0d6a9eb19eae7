import { readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import type { LogEntry } from '../build/mock/state.ts';
import { DEMO_SECRETS, environment, requestsCollection, withBundle } from './lib/collections.ts';
import { makeTempDir, removeTempDir } from './lib/processes.ts';
import { startMockProcess } from './lib/mock-process.ts';
import { runNewman } from './lib/newman.ts';
import { round } from './lib/stats.ts';

/** The script's refresh margin (scripts-src/expiry.ts): 60 s, or 10% of a short lifetime. */
export function usableLifetimeMs(lifetimeSeconds: number, marginSeconds = 60): number {
  const lifetimeMs = lifetimeSeconds * 1000;
  return lifetimeMs - Math.max(0, Math.min(marginSeconds * 1000, lifetimeMs * 0.1));
}

export interface TokenRun {
  tokenCalls: number;
  /** Fewest tokens that could serve the requests at the times they were made (see `minimumTokens`). */
  minimum: number;
  /** ceil(run time / usable lifetime) (warm: of the time the inherited token does not cover); >= minimum. */
  ceilRunOverLifetime: number;
  runSeconds: number;
  apiCalls: number;
  apiUnauthorized: number;
}

export interface TokenCallsCase {
  lifetimeSeconds: number;
  usableSeconds: number;
  requests: number;
  delayMs: number;
  cold: TokenRun;
  warm: TokenRun;
}

export interface TokenCallsResult {
  cases: TokenCallsCase[];
}

/**
 * Fewest tokens that could have served requests at these times, each token
 * usable for `usableMs` from when it is obtained (greedy interval cover, which
 * is optimal): a token is obtained at the first request it serves.
 * `freshUntil` is when an inherited token (warm run) stops being usable.
 */
export function minimumTokens(times: number[], usableMs: number, freshUntil = -Infinity): number {
  let count = 0;
  let cover = freshUntil;
  for (const t of [...times].sort((a, b) => a - b)) {
    if (t >= cover) {
      count++;
      cover = t + usableMs;
    }
  }
  return count;
}

export function summarize(log: LogEntry[], usableMs: number, freshUntil: number | undefined): TokenRun {
  const token = log.filter((e) => e.kind === 'token');
  const api = log.filter((e) => e.kind === 'api');
  const first = Math.min(...log.map((e) => e.at));
  const last = Math.max(...api.map((e) => e.at));
  const runMs = last - first;
  const ceilFormula =
    freshUntil === undefined
      ? Math.max(1, Math.ceil(runMs / usableMs))
      : last < freshUntil
        ? 0
        : Math.max(1, Math.ceil((last - Math.max(first, freshUntil)) / usableMs));
  return {
    tokenCalls: token.length,
    minimum: minimumTokens(
      api.map((e) => e.at),
      usableMs,
      freshUntil,
    ),
    ceilRunOverLifetime: ceilFormula,
    runSeconds: round(runMs / 1000, 2),
    apiCalls: api.length,
    apiUnauthorized: api.filter((e) => e.status === 401).length,
  };
}

/**
 * Section 2: token endpoint calls for runs paced to span several token
 * lifetimes, then a warm second run that starts from the first run's exported
 * environment (`oauth_token_store=environment`), as a pipeline that keeps the
 * environment between jobs would.
 */
export async function benchTokenCalls(opts: {
  cases: Array<{ lifetimeSeconds: number; requests: number; delayMs: number }>;
  log: (s: string) => void;
}): Promise<TokenCallsResult> {
  const cases: TokenCallsCase[] = [];
  for (const spec of opts.cases) {
    const mock = await startMockProcess(spec.lifetimeSeconds);
    const dir = makeTempDir('poak-bench-tokens-');
    try {
      const usableMs = usableLifetimeMs(spec.lifetimeSeconds);
      const collection = withBundle(requestsCollection(`tokens ${spec.lifetimeSeconds}s`, spec.requests, mock.origin), mock.tokenUrl, 'environment');
      const startEnv = path.join(dir, 'start.postman_environment.json');
      const exported = path.join(dir, 'exported.postman_environment.json');
      writeFileSync(startEnv, JSON.stringify(environment('bench', DEMO_SECRETS)));

      const cold = await runNewman({ collection, environment: startEnv, exportEnvironment: exported, delayRequest: spec.delayMs });
      if (cold.failures.length) throw new Error(`token run (${spec.lifetimeSeconds} s) failed: ${cold.failures.slice(0, 3).join('; ')}`);
      const coldLog = await mock.log();
      const coldRun = summarize(coldLog, usableMs, undefined);

      const values = (JSON.parse(readFileSync(exported, 'utf8')) as { values: Array<{ key: string; value: string }> }).values;
      const expiresAt = Date.parse(values.find((v) => v.key === 'oauth_token_expires_at')?.value ?? '');
      const obtainedAt = Date.parse(values.find((v) => v.key === 'oauth_token_obtained_at')?.value ?? '');
      if (isNaN(expiresAt) || isNaN(obtainedAt)) throw new Error('the exported environment holds no cached token');
      const freshUntil = obtainedAt + usableLifetimeMs((expiresAt - obtainedAt) / 1000);

      const warm = await runNewman({ collection, environment: exported, delayRequest: spec.delayMs });
      if (warm.failures.length) throw new Error(`warm token run (${spec.lifetimeSeconds} s) failed: ${warm.failures.slice(0, 3).join('; ')}`);
      const warmRun = summarize((await mock.log()).slice(coldLog.length), usableMs, freshUntil);

      cases.push({
        lifetimeSeconds: spec.lifetimeSeconds,
        usableSeconds: usableMs / 1000,
        requests: spec.requests,
        delayMs: spec.delayMs,
        cold: coldRun,
        warm: warmRun,
      });
      opts.log(
        `  tokens ${spec.lifetimeSeconds} s: cold ${coldRun.tokenCalls} (min ${coldRun.minimum}) over ${coldRun.runSeconds} s, warm ${warmRun.tokenCalls} (min ${warmRun.minimum})`,
      );
    } finally {
      await mock.stop();
      removeTempDir(dir);
    }
  }
  return { cases };
}
