import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_SECRETS, environment, requestsCollection, withBundle, withStaticToken } from './lib/collections.ts';
import { startMockProcess, type MockProcess } from './lib/mock-process.ts';
import { ROOT } from './lib/paths.ts';
import { makeTempDir, removeTempDir, track } from './lib/processes.ts';
import { median, round } from './lib/stats.ts';
import { summarize, usableLifetimeMs } from './token-calls.ts';

export interface BrunoTool {
  tool: string;
  version: string;
  lifetimeSeconds: number;
  /** Median wall time of the whole CLI process (start to exit). */
  wallSeconds: number;
  /** Token endpoint calls in the median run. */
  tokenCalls: number;
  /** ceil(run time / usable lifetime) of that run; usable = lifetime minus the tool's refresh margin (Bruno has none). */
  minimum: number;
  /** API requests the mock rejected with 401 (sent without a valid token). */
  unauthorized: number;
  runsSeconds: number[];
  tokenCallsPerRun: number[];
  unauthorizedPerRun: number[];
}

export interface BrunoResult {
  requests: number;
  runs: number;
  tools: BrunoTool[];
}

function run(command: string, args: string[], cwd: string, timeoutMs: number): Promise<{ code: number | null; stdout: string; stderr: string; ms: number }> {
  return new Promise((resolve) => {
    const t0 = performance.now();
    const child = execFile(command, args, { cwd, timeout: timeoutMs, maxBuffer: 64 << 20, env: { ...process.env, NO_COLOR: '1' } }, (error, stdout, stderr) => {
      const code = error ? (typeof (error as { code?: unknown }).code === 'number' ? ((error as { code: number }).code) : null) : 0;
      resolve({ code, stdout, stderr, ms: performance.now() - t0 });
    });
    track(child);
  });
}

/** Installs @usebruno/cli into a temporary folder; returns the bru.js path or why not. */
async function installBruno(dir: string, log: (s: string) => void): Promise<{ bin: string; version: string } | { skipped: string }> {
  writeFileSync(path.join(dir, 'package.json'), JSON.stringify({ private: true }));
  log(`  installing @usebruno/cli into ${dir} (temporary; not a project dependency)...`);
  const npm = process.platform === 'win32' ? 'npm.cmd' : 'npm';
  const res = await run(npm, ['install', '--no-audit', '--no-fund', '--loglevel=error', '--no-package-lock', '@usebruno/cli'], dir, 300_000);
  const pkgFile = path.join(dir, 'node_modules', '@usebruno', 'cli', 'package.json');
  if (res.code !== 0 || !existsSync(pkgFile)) {
    const why = (res.stderr || res.stdout).trim().split('\n').slice(-2).join(' ') || `npm exited ${res.code}`;
    return { skipped: `npm install @usebruno/cli failed: ${why}` };
  }
  const pkg = JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string; bin: Record<string, string> | string };
  const binRel = typeof pkg.bin === 'string' ? pkg.bin : (pkg.bin['bru'] as string);
  return { bin: path.join(dir, 'node_modules', '@usebruno', 'cli', binRel), version: pkg.version };
}

function brunoAt(bin: string): { bin: string; version: string } | { skipped: string } {
  const pkgFile = path.join(path.dirname(path.dirname(bin)), 'package.json');
  if (!existsSync(bin) || !existsSync(pkgFile)) return { skipped: `BENCH_BRUNO_CLI=${bin} is not the bin/bru.js of an installed @usebruno/cli` };
  return { bin, version: (JSON.parse(readFileSync(pkgFile, 'utf8')) as { version: string }).version };
}

async function fetchToken(mock: MockProcess): Promise<string> {
  const res = await fetch(mock.tokenUrl, {
    method: 'POST',
    headers: {
      'Content-Type': 'application/x-www-form-urlencoded',
      Authorization: 'Basic ' + Buffer.from(`${DEMO_SECRETS['vault:oauth-client-id']}:${DEMO_SECRETS['vault:oauth-client-secret']}`).toString('base64'),
    },
    body: 'grant_type=client_credentials',
  });
  if (!res.ok) throw new Error(`mock token endpoint: HTTP ${res.status}`);
  return ((await res.json()) as { access_token: string }).access_token;
}

/** The same requests as a Bruno collection: collection-level OAuth 2.0 client credentials, auto-fetch on. */
function writeBrunoCollection(dir: string, mock: MockProcess, requests: number): void {
  mkdirSync(dir, { recursive: true });
  writeFileSync(path.join(dir, 'bruno.json'), JSON.stringify({ version: '1', name: 'bench', type: 'collection', ignore: ['node_modules', '.git'] }, null, 2));
  writeFileSync(
    path.join(dir, 'collection.bru'),
    [
      'auth {',
      '  mode: oauth2',
      '}',
      '',
      'auth:oauth2 {',
      '  grant_type: client_credentials',
      `  access_token_url: ${mock.tokenUrl}`,
      '  refresh_token_url: ',
      `  client_id: ${DEMO_SECRETS['vault:oauth-client-id']}`,
      `  client_secret: ${DEMO_SECRETS['vault:oauth-client-secret']}`,
      '  scope: ',
      '  credentials_placement: basic_auth_header',
      '  credentials_id: credentials',
      '  token_placement: header',
      '  token_header_prefix: Bearer',
      '  auto_fetch_token: true',
      '  auto_refresh_token: true',
      '}',
      '',
    ].join('\n'),
  );
  for (let i = 1; i <= requests; i++) {
    writeFileSync(
      path.join(dir, `request-${String(i).padStart(4, '0')}.bru`),
      [
        'meta {',
        `  name: request ${i}`,
        '  type: http',
        `  seq: ${i}`,
        '}',
        '',
        'get {',
        `  url: ${mock.origin}/api/v2/bench/items/${i}`,
        '  body: none',
        '  auth: inherit',
        '}',
        '',
      ].join('\n'),
    );
  }
}

type Exec = () => Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>;

interface RunOutcome {
  ms: number;
  tokenCalls: number;
  minimum: number;
  unauthorized: number;
}

/** `usableMs`: the lifetime the tool can use (ours refreshes a margin early; Bruno uses a token to its expiry). */
async function measure(mock: MockProcess, runs: number, once: Exec, usableMs: number, label: string, log: (s: string) => void): Promise<RunOutcome[]> {
  const out: RunOutcome[] = [];
  const usable = usableMs;
  for (let i = 0; i < runs; i++) {
    const before = (await mock.log()).length;
    const res = await once();
    const run = summarize((await mock.log()).slice(before), usable, undefined);
    const r = { ms: res.ms, tokenCalls: run.tokenCalls, minimum: run.minimum, unauthorized: run.apiUnauthorized };
    if (res.code !== 0) log(`  ${label} exited ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    log(`  ${label}, lifetime ${mock.lifetimeSeconds} s, run ${i + 1}/${runs}: ${round(r.ms / 1000, 2)} s, ${r.tokenCalls} token calls (minimum ${r.minimum}), ${r.unauthorized} unauthorized`);
    out.push(r);
  }
  return out;
}

function toTool(tool: string, version: string, lifetimeSeconds: number, runs: RunOutcome[]): BrunoTool {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const mid = sorted[sorted.length >> 1] as RunOutcome;
  return {
    tool,
    version,
    lifetimeSeconds,
    wallSeconds: round(median(runs.map((r) => r.ms)) / 1000, 2),
    tokenCalls: mid.tokenCalls,
    minimum: mid.minimum,
    unauthorized: mid.unauthorized,
    runsSeconds: runs.map((r) => round(r.ms / 1000, 2)),
    tokenCallsPerRun: runs.map((r) => r.tokenCalls),
    unauthorizedPerRun: runs.map((r) => r.unauthorized),
  };
}

/**
 * Section 5 (optional): the same requests against the same loopback mock, run
 * by the newman CLI with this project's script and by Bruno's CLI with
 * collection-level client-credentials auth (auto-fetch and auto-refresh on).
 * Both as child processes, timed from start to exit, with a long token lifetime
 * and with a 2 s one (requests paced by each CLI's --delay). Bruno is installed
 * on demand into a temporary folder.
 */
export async function benchBruno(opts: {
  requests: number;
  runs: number;
  cases: Array<{ lifetimeSeconds: number; delayMs: number }>;
  log: (s: string) => void;
}): Promise<BrunoResult | { skipped: string }> {
  const dir = makeTempDir('poak-bench-bruno-');
  try {
    // BENCH_BRUNO_CLI=/path/to/@usebruno/cli/bin/bru.js reuses an installed Bruno CLI.
    const given = process.env['BENCH_BRUNO_CLI'];
    const installed = given ? brunoAt(given) : await installBruno(dir, opts.log);
    if ('skipped' in installed) return installed;
    const newmanBin = path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js');
    const newmanVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'newman', 'package.json'), 'utf8')) as { version: string }).version;
    const tools: BrunoTool[] = [];
    for (const spec of opts.cases) {
      const mock = await startMockProcess(spec.lifetimeSeconds);
      try {
        const brunoDir = path.join(dir, `collection-${spec.lifetimeSeconds}`);
        writeBrunoCollection(brunoDir, mock, opts.requests);
        const newmanFile = path.join(dir, `newman-${spec.lifetimeSeconds}.postman_collection.json`);
        const envFile = path.join(dir, 'newman.postman_environment.json');
        writeFileSync(newmanFile, JSON.stringify(withBundle(requestsCollection('bruno side by side', opts.requests, mock.origin), mock.tokenUrl, 'collection')));
        writeFileSync(envFile, JSON.stringify(environment('bench', DEMO_SECRETS)));
        const delay = spec.delayMs > 0 ? ['--delay-request', String(spec.delayMs)] : [];
        const runNewmanCli: Exec = () =>
          run(process.execPath, [newmanBin, 'run', newmanFile, '-e', envFile, '--reporters', 'cli', '--reporter-cli-no-summary', '--reporter-cli-no-banner', ...delay], dir, 600_000);
        const runBru: Exec = () =>
          run(process.execPath, [installed.bin, 'run', '--sandbox', 'safe', ...(spec.delayMs > 0 ? ['--delay', String(spec.delayMs)] : [])], brunoDir, 600_000);
        if (tools.length === 0) {
          // Untimed first run of each: fills the disk cache, and shows whether bru works here.
          const probe = await runBru();
          if (probe.code !== 0 && (await mock.stats()).apiCalls === 0) {
            return { skipped: `bru run failed: ${(probe.stderr || probe.stdout).trim().split('\n').slice(-3).join(' | ')}` };
          }
          await runNewmanCli();
        }
        const ours = await measure(mock, opts.runs, runNewmanCli, usableLifetimeMs(spec.lifetimeSeconds), 'newman + postman-oauth-kit', opts.log);
        tools.push(toTool('newman CLI + postman-oauth-kit', `newman ${newmanVersion}`, spec.lifetimeSeconds, ours));
        if (spec.lifetimeSeconds >= 3600) {
          // Baseline: what newman itself costs with no token logic at all.
          const staticFile = path.join(dir, 'newman-static.postman_collection.json');
          writeFileSync(staticFile, JSON.stringify(withStaticToken(requestsCollection('static', opts.requests, mock.origin), await fetchToken(mock))));
          const runStatic: Exec = () =>
            run(process.execPath, [newmanBin, 'run', staticFile, '--reporters', 'cli', '--reporter-cli-no-summary', '--reporter-cli-no-banner'], dir, 600_000);
          const baseline = await measure(mock, opts.runs, runStatic, usableLifetimeMs(spec.lifetimeSeconds), 'newman alone (static token)', opts.log);
          tools.push({ ...toTool('newman CLI alone, static token (baseline)', `newman ${newmanVersion}`, spec.lifetimeSeconds, baseline), minimum: 0 });
        }
        const bruno = await measure(mock, opts.runs, runBru, spec.lifetimeSeconds * 1000, `bru ${installed.version}`, opts.log);
        tools.push(toTool('Bruno CLI (oauth2 client_credentials, auto-fetch/refresh)', `bru ${installed.version}`, spec.lifetimeSeconds, bruno));
      } finally {
        await mock.stop();
      }
    }
    return { requests: opts.requests, runs: opts.runs, tools };
  } finally {
    removeTempDir(dir);
  }
}
