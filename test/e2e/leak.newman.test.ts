/**
 * Leak test: every success and failure path of every grant (today: client
 * credentials, basic and post) runs with recognisable secret values through the
 * builder and newman's own CLI against the loopback mock; then every artifact is
 * scanned: builder output and messages, newman stdout/stderr, exported
 * environment and collection, the JSON report after `redactNewmanReport`, and the
 * mock's request log. Zero hits allowed.
 * New grants: add their runs to RUNS (and their secrets to NEEDLES).
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { runCli } from '../../build/cli.ts';
import type { FaultScenario } from '../../build/mock/faults.ts';
import { startMockServer, type RunningMock } from '../../build/mock/server.ts';
import { MockState } from '../../build/mock/state.ts';
import { redactNewmanReport } from '../../build/report-redaction.ts';
import { COLLECTIONS, ROOT } from '../helpers/paths.ts';

const CLIENT_ID = 'leak-client-id';
const SECRET = 'LeakCanary-Secret-7f3a9b2c';
const WRONG_SECRET = 'LeakCanary-Wrong-1c2d3e4f';
const ECHOED_REFRESH = 'LeakCanary-Refresh-9z8y7x6w';

let mock: RunningMock;
let state: MockState;
let dir: string;
let builtCollection: string;
const builderOutput: string[] = [];

async function cli(args: string[]): Promise<{ code: number; out: string }> {
  let out = '';
  const code = await runCli(args, { stdout: (t) => (out += t), stderr: (t) => (out += t), cwd: dir, env: {} });
  return { code, out };
}

beforeAll(async () => {
  state = new MockState();
  state.clients.clear();
  state.addClient({ id: CLIENT_ID, secret: SECRET, grants: ['client_credentials'], tokenLifetimeSeconds: 3600 });
  mock = await startMockServer({ state });
  dir = mkdtempSync(path.join(tmpdir(), 'oauth-kit-leak-'));
  builtCollection = path.join(dir, 'sample.oauth.postman_collection.json');
  const refused = await cli([
    'inject',
    path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'),
    '-o',
    path.join(dir, 'literal.json'),
    '--token-url',
    '{{token_url}}',
    '--client-secret',
    SECRET,
  ]);
  expect(refused.code).toBe(2);
  builderOutput.push(refused.out);
  const built = await cli(['inject', path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'), '-o', builtCollection, '--token-url', '{{token_url}}']);
  expect(built.code).toBe(0);
  builderOutput.push(built.out, readFileSync(builtCollection, 'utf8'));
});
beforeEach(() => state.reset());
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

interface Run {
  name: string;
  secret: string;
  clientAuth: 'basic' | 'post';
  scenario?: FaultScenario;
  /** Expected newman exit code. */
  code: number;
}

const RUNS: Run[] = [
  { name: 'client credentials, basic, success', secret: SECRET, clientAuth: 'basic', code: 0 },
  { name: 'client credentials, post, success', secret: SECRET, clientAuth: 'post', code: 0 },
  { name: 'client credentials, wrong secret', secret: WRONG_SECRET, clientAuth: 'post', code: 1 },
  {
    name: 'server echoes the secret and a refresh token in its error',
    secret: SECRET,
    clientAuth: 'basic',
    scenario: { token: [{ type: 'status', status: 401, body: { error: 'invalid_client', error_description: `secret ${SECRET} refresh_token=${ECHOED_REFRESH}` } }] },
    code: 1,
  },
  {
    name: 'server echoes the request in an HTML 500 page (all attempts)',
    secret: SECRET,
    clientAuth: 'post',
    scenario: { token: [{ type: 'status', status: 500, body: `<pre>client_secret=${SECRET}</pre>`, times: 4 }] },
    code: 1,
  },
  {
    name: 'malformed success response carrying the secret and a refresh token',
    secret: SECRET,
    clientAuth: 'basic',
    scenario: { token: [{ type: 'status', status: 200, body: { access_token: 42, refresh_token: ECHOED_REFRESH, note: SECRET } }] },
    code: 1,
  },
  // Exit 1: the sample's own "status is 200" test sees the first 401 (docs/resilience.md).
  { name: 'token revoked mid-run (401 recovery)', secret: SECRET, clientAuth: 'basic', scenario: { revokeAfterApiCalls: 2 }, code: 1 },
];

function newman(run: Run, files: { report: string; env: string; collection: string }) {
  const args = [
    path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js'),
    'run',
    builtCollection,
    '-r',
    'cli,json',
    '--reporter-json-export',
    files.report,
    '--export-environment',
    files.env,
    '--export-collection',
    files.collection,
    '--env-var',
    `token_url=${mock.tokenUrl}`,
    '--env-var',
    `baseUrl=${mock.origin}`,
    '--env-var',
    `oauth_client_auth=${run.clientAuth}`,
    '--env-var',
    'oauth_retry_base_delay=0.01',
    '--global-var',
    `vault:oauth-client-id=${CLIENT_ID}`,
    '--global-var',
    `vault:oauth-client-secret=${run.secret}`,
  ];
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** Every form a secret could take in an artifact. */
function needles(values: string[]): string[] {
  const out = new Set<string>();
  for (const v of values) {
    out.add(v);
    out.add(encodeURIComponent(v));
  }
  for (const secret of [SECRET, WRONG_SECRET]) out.add(Buffer.from(`${CLIENT_ID}:${secret}`).toString('base64'));
  return [...out];
}

/** Text of a JSON artifact including the bodies newman stores as byte arrays. */
function withBuffers(text: string): string {
  const parts = [text];
  JSON.parse(text, (_key, value: unknown) => {
    if (value && typeof value === 'object' && (value as { type?: unknown }).type === 'Buffer') {
      parts.push(Buffer.from((value as { data: number[] }).data).toString('utf8'));
    }
    return value;
  });
  return parts.join('\n');
}

function hits(artifacts: Record<string, string>, values: string[]): string[] {
  const found: string[] = [];
  for (const [name, text] of Object.entries(artifacts)) {
    for (const needle of needles(values)) if (text.includes(needle)) found.push(`${name} contains ${needle.slice(0, 12)}...`);
  }
  return found;
}

describe('no secret in any artifact', () => {
  it('the builder refuses a literal secret without echoing it and writes none', () => {
    expect(builderOutput[0]).toContain('--client-secret was given a literal value');
    expect(hits({ builder: builderOutput.join('\n') }, [SECRET])).toEqual([]);
  });

  it.each(RUNS)('$name', async (run) => {
    if (run.scenario) state.faults.set(run.scenario);
    const files = {
      report: path.join(dir, 'report.json'),
      env: path.join(dir, 'exported.postman_environment.json'),
      collection: path.join(dir, 'exported.postman_collection.json'),
    };
    const result = await newman(run, files);
    expect(result.code).toBe(run.code);
    const tokens = [...state.tokens.values()].map((t) => t.value);
    if (run.code === 0 || run.scenario?.revokeAfterApiCalls) expect(tokens.length).toBeGreaterThan(0);
    const secrets = [SECRET, WRONG_SECRET, ECHOED_REFRESH, ...tokens];

    const rawReport = readFileSync(files.report, 'utf8');
    // Newman's own JSON report holds --global-var values and bearer headers; that is why
    // reports must go through redactNewmanReport before they leave the machine.
    expect(rawReport).toContain(run.secret);
    // The scanner itself finds what is there (a check that can fail).
    expect(hits({ 'raw report': withBuffers(rawReport) }, secrets).length).toBeGreaterThan(0);
    const report = JSON.stringify(redactNewmanReport(JSON.parse(rawReport) as unknown, [run.secret]));

    expect(
      hits(
        {
          stdout: result.stdout,
          stderr: result.stderr,
          'exported environment': readFileSync(files.env, 'utf8'),
          'exported collection': readFileSync(files.collection, 'utf8'),
          'JSON report (redacted)': withBuffers(report),
          'mock log': JSON.stringify(state.log),
        },
        secrets,
      ),
    ).toEqual([]);
  });
});
