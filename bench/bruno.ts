import { execFile } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { performance } from 'node:perf_hooks';
import { DEMO_SECRETS, environment, requestsCollection, withBundle } from './lib/collections.ts';
import { startMockProcess, type MockProcess } from './lib/mock-process.ts';
import { ROOT } from './lib/paths.ts';
import { track } from './lib/processes.ts';
import { median, round } from './lib/stats.ts';

export interface BrunoTool {
  tool: string;
  version: string;
  /** Median wall time of the whole CLI process (start to exit). */
  wallSeconds: number;
  /** Token endpoint calls in the median run. */
  tokenCalls: number;
  /** API requests the mock rejected with 401 (sent without a valid token). */
  unauthorized: number;
  runsSeconds: number[];
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

async function measure(
  mock: MockProcess,
  runs: number,
  once: () => Promise<{ code: number | null; stdout: string; stderr: string; ms: number }>,
  label: string,
  log: (s: string) => void,
): Promise<Array<{ ms: number; tokenCalls: number; unauthorized: number }>> {
  const out = [];
  for (let i = 0; i < runs; i++) {
    const before = await mock.stats();
    const res = await once();
    const after = await mock.stats();
    const r = { ms: res.ms, tokenCalls: after.tokenCalls - before.tokenCalls, unauthorized: after.apiUnauthorized - before.apiUnauthorized };
    if (res.code !== 0) log(`  ${label} exited ${res.code}: ${(res.stderr || res.stdout).trim().split('\n').slice(-3).join(' | ')}`);
    log(`  ${label} run ${i + 1}/${runs}: ${round(r.ms / 1000, 2)} s, ${r.tokenCalls} token calls, ${r.unauthorized} unauthorized`);
    out.push(r);
  }
  return out;
}

function toTool(tool: string, version: string, runs: Array<{ ms: number; tokenCalls: number; unauthorized: number }>): BrunoTool {
  const sorted = [...runs].sort((a, b) => a.ms - b.ms);
  const mid = sorted[sorted.length >> 1] as (typeof runs)[number];
  return {
    tool,
    version,
    wallSeconds: round(median(runs.map((r) => r.ms)) / 1000, 2),
    tokenCalls: mid.tokenCalls,
    unauthorized: mid.unauthorized,
    runsSeconds: runs.map((r) => round(r.ms / 1000, 2)),
  };
}

/**
 * Section 5 (optional): the same 200 requests against the same loopback mock,
 * run by the newman CLI with this project's script and by Bruno's CLI with
 * collection-level client-credentials auth. Both as child processes, timed from
 * start to exit. Bruno is installed on demand into a temporary folder.
 */
export async function benchBruno(opts: { requests: number; runs: number; log: (s: string) => void }): Promise<BrunoResult | { skipped: string }> {
  const dir = mkdtempSync(path.join(os.tmpdir(), 'poak-bench-bruno-'));
  let mock: MockProcess | undefined;
  try {
    const installed = await installBruno(dir, opts.log);
    if ('skipped' in installed) return installed;
    mock = await startMockProcess(3600);
    const brunoDir = path.join(dir, 'collection');
    writeBrunoCollection(brunoDir, mock, opts.requests);
    const newmanFile = path.join(dir, 'newman.postman_collection.json');
    const envFile = path.join(dir, 'newman.postman_environment.json');
    writeFileSync(newmanFile, JSON.stringify(withBundle(requestsCollection('bruno side by side', opts.requests, mock.origin), mock.tokenUrl, 'collection')));
    writeFileSync(envFile, JSON.stringify(environment('bench', DEMO_SECRETS)));
    const newmanBin = path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js');
    const newmanVersion = (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', 'newman', 'package.json'), 'utf8')) as { version: string }).version;

    // One untimed run each first (disk cache, JIT of nothing shared: separate processes).
    const runNewmanCli = () => run(process.execPath, [newmanBin, 'run', newmanFile, '-e', envFile, '--reporters', 'cli', '--reporter-cli-no-summary', '--reporter-cli-no-banner'], dir, 300_000);
    const runBru = () => run(process.execPath, [installed.bin, 'run', '--sandbox', 'safe'], brunoDir, 300_000);
    const probe = await runBru();
    if (probe.code !== 0 && !/request/i.test(probe.stdout)) {
      return { skipped: `bru run failed: ${(probe.stderr || probe.stdout).trim().split('\n').slice(-3).join(' | ')}` };
    }
    await runNewmanCli();
    const newmanRuns = await measure(mock, opts.runs, runNewmanCli, 'newman + postman-oauth-kit', opts.log);
    const brunoRuns = await measure(mock, opts.runs, runBru, `bru ${installed.version}`, opts.log);
    return {
      requests: opts.requests,
      runs: opts.runs,
      tools: [toTool('newman CLI + postman-oauth-kit', newmanVersion, newmanRuns), toTool('Bruno CLI (oauth2 client_credentials, auto-fetch)', installed.version, brunoRuns)],
    };
  } finally {
    await mock?.stop();
    rmSync(dir, { recursive: true, force: true });
  }
}
