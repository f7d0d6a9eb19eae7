import { performance } from 'node:perf_hooks';
import vm from 'node:vm';

/** One call the script made on the pm API. */
export interface PmCall {
  api: string;
  args: string[];
}

/**
 * Runs a built pre-request script once in a Node vm against a recording fake
 * `pm` whose variables hold `values` (settings and a cached token), and returns
 * every pm call it made in order: what a request with a cached token costs in
 * pm API traffic, independent of the sandbox's own speed.
 */
export async function pmCallCensus(code: string, values: Record<string, string>): Promise<PmCall[]> {
  return (await runInFakePm(code, values, 1)).calls;
}

/**
 * Runs the script `iterations` times in one Node vm context (each run compiles
 * and runs the code, then lets its promises settle) and returns the pm calls of
 * the last run and the mean time per run: the cost of the script's own
 * JavaScript, without any of the Postman sandbox around it.
 */
export async function runInFakePm(code: string, values: Record<string, string>, iterations: number): Promise<{ calls: PmCall[]; microsPerRun: number }> {
  const calls: PmCall[] = [];
  const local = new Map<string, string>();
  const env = new Map(Object.entries(values));
  const record = (api: string, ...args: unknown[]) => calls.push({ api, args: args.map((a) => String(a)) });
  const lookup = (name: string) => local.get(name) ?? env.get(name);
  const scope = (name: string, map: Map<string, string>) => ({
    get: (k: string) => (record(`${name}.get`, k), map.get(k)),
    set: (k: string, v: string) => (record(`${name}.set`, k, v), map.set(k, v), undefined),
    unset: (k: string) => (record(`${name}.unset`, k), map.delete(k), undefined),
    has: (k: string) => (record(`${name}.has`, k), map.has(k)),
  });
  const pm = {
    variables: {
      get: (k: string) => (record('variables.get', k), lookup(k)),
      set: (k: string, v: string) => (record('variables.set', k, v), local.set(k, v), undefined),
      has: (k: string) => (record('variables.has', k), lookup(k) !== undefined),
      replaceIn: (t: string) => (record('variables.replaceIn', t), t.replace(/\{\{([^{}]+)\}\}/g, (m, k: string) => lookup(k) ?? m)),
    },
    environment: scope('environment', env),
    collectionVariables: scope('collectionVariables', new Map()),
    globals: scope('globals', new Map()),
    request: { auth: undefined, headers: { upsert: (h: unknown) => record('request.headers.upsert', JSON.stringify(h)) } },
    execution: { skipRequest: () => record('execution.skipRequest') },
    test: (name: string) => record('test', name),
    sendRequest: (req: unknown) => record('sendRequest', JSON.stringify(req)),
  };
  const errors: string[] = [];
  const context = vm.createContext({ pm, setTimeout, clearTimeout, require: () => undefined, console: { log: () => undefined, error: (m: unknown) => errors.push(String(m)), warn: () => undefined, info: () => undefined } });
  const t0 = performance.now();
  for (let n = 0; n < iterations; n++) {
    calls.length = 0;
    local.clear();
    vm.runInContext(code, context, { filename: 'bundle.js' });
    // Let the script's promise chain settle (microtasks run before setImmediate).
    await new Promise((resolve) => setImmediate(resolve));
  }
  const microsPerRun = ((performance.now() - t0) * 1000) / iterations;
  if (errors.length) throw new Error(`census: the script reported: ${errors.join(' ')}`);
  return { calls: [...calls], microsPerRun };
}

/** A script that makes exactly these pm calls in a row, without any of the logic around them. */
export function replayScript(calls: PmCall[]): string {
  const lines = ['// Profile: the pm calls of the bundle for a cached token, replayed without its logic.', '(function () {'];
  for (const call of calls) {
    const args = call.args.map((a) => JSON.stringify(a)).join(', ');
    if (call.api === 'variables.set' && call.args[0] === 'oauth_access_token') {
      // Keep the value live (the token) rather than a literal from the census.
      lines.push(`  pm.variables.set(${JSON.stringify(call.args[0])}, pm.environment.get('oauth_access_token'));`);
    } else lines.push(`  pm.${call.api}(${args});`);
  }
  lines.push('})();');
  return lines.join('\n');
}

/** Counts per pm API. */
export function countCalls(calls: PmCall[]): Record<string, number> {
  const out: Record<string, number> = {};
  for (const c of calls) out[c.api] = (out[c.api] ?? 0) + 1;
  return out;
}
