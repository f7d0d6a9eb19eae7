/**
 * The CLI path of the fault matrix: newman as a child process (its own CLI)
 * against the loopback mock, faults switched with POST /__mock/scenario. Also the
 * 429 storm, whose waits are checked on the timestamps the mock recorded.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { startMockServer, type RunningMock } from '../../build/mock/server.ts';
import { DEMO_CLIENT } from '../../build/mock/state.ts';
import { builtBundle, requestsCollection } from '../helpers/collections.ts';
import { ROOT } from '../helpers/paths.ts';

let mock: RunningMock;
let dir: string;
let collectionFile: string;

beforeAll(async () => {
  mock = await startMockServer();
  dir = mkdtempSync(path.join(tmpdir(), 'oauth-kit-cli-faults-'));
  const c = requestsCollection(5, mock.origin);
  injectIntoCollection(c, builtBundle(), { tokenUrl: mock.tokenUrl }, 'requests.json');
  collectionFile = path.join(dir, 'requests.postman_collection.json');
  writeFileSync(collectionFile, JSON.stringify(c));
});
beforeEach(async () => {
  const reset = await fetch(`${mock.origin}/__mock/reset`, { method: 'POST' });
  expect(reset.status).toBe(204);
});
afterAll(async () => {
  await mock.close();
  rmSync(dir, { recursive: true, force: true });
});

async function scenario(body: unknown): Promise<void> {
  const response = await fetch(`${mock.origin}/__mock/scenario`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json' },
    body: JSON.stringify(body),
  });
  expect(response.status).toBe(204);
}

function newman(extra: string[] = []): Promise<{ code: number | null; stdout: string; stderr: string }> {
  const args = [
    path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js'),
    'run',
    collectionFile,
    '--reporters',
    'cli',
    '--color',
    'off',
    '--global-var',
    `vault:oauth-client-id=${DEMO_CLIENT.id}`,
    '--global-var',
    `vault:oauth-client-secret=${DEMO_CLIENT.secret}`,
    ...extra,
  ];
  return new Promise((resolve) => {
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

/** newman's cli reporter wraps console lines at 54 columns inside a box; undo that. */
function unwrapped(stdout: string): string {
  return stdout
    .split('\n')
    .map((l) => l.replace(/^\s*│ ?/, ''))
    .join('');
}

describe('fault scenarios through newman\'s CLI and the loopback mock', () => {
  it('rejects a malformed scenario with a message naming the field', async () => {
    const response = await fetch(`${mock.origin}/__mock/scenario`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/json' },
      body: JSON.stringify({ token: [{ type: 'explode' }] }),
    });
    expect(response.status).toBe(400);
    expect(await response.json()).toEqual({ error: '"token[0].type" must be status, network, delay or revoke' });
  });

  it('503 twice, then a token: exit 0, one token issued, every request sent', async () => {
    await scenario({ token: [{ type: 'status', status: 503, times: 2 }] });
    const run = await newman(['--global-var', 'oauth_retry_base_delay=0.01']);
    expect(run.code).toBe(0);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 3, tokensIssued: 1, apiCalls: 5, apiUnauthorized: 0 });
    expect(run.stderr).toBe('');
  });

  it('invalid_client: exit 1, one token call for five requests, none sent, the message on stdout', async () => {
    await scenario({
      token: [{ type: 'status', status: 401, body: { error: 'invalid_client', error_description: 'authentication failed' } }],
    });
    const run = await newman();
    expect(run.code).toBe(1);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 0 });
    expect(unwrapped(run.stdout)).toContain(
      '[postman-oauth-kit] the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post). The request was not sent.',
    );
    expect(run.stdout).not.toContain(DEMO_CLIENT.secret);
    expect(run.stderr).toBe('');
  });

  it('429 storm: Retry-After: 1 three times, then a token; the run succeeds and every wait is honoured', async () => {
    await scenario({ token: [{ type: 'status', status: 429, headers: { 'Retry-After': '1' }, times: 3 }] });
    const run = await newman();
    expect(run.code).toBe(0);
    const token = mock.state.log.filter((e) => e.kind === 'token');
    expect(token.map((e) => e.status)).toEqual([429, 429, 429, 200]);
    const gaps = token.slice(1).map((e, i) => e.at - token[i]!.at);
    for (const gap of gaps) expect(gap).toBeGreaterThanOrEqual(1000);
    expect(mock.state.stats()).toMatchObject({ apiCalls: 5, apiUnauthorized: 0 });
    expect(unwrapped(run.stdout)).toContain('[postman-oauth-kit] the token endpoint failed (HTTP 429); retry 3 of 3 in 1 s.');
  });

  it('revocation mid-run on the loopback mock: one request re-run, the rest succeed', async () => {
    await scenario({ revokeAfterApiCalls: 2 });
    const run = await newman();
    expect(mock.state.log.map((e) => `${e.kind} ${e.status}`)).toEqual([
      'token 200',
      'api 200',
      'api 200',
      'api 401',
      'token 200',
      'api 200',
      'api 200',
      'api 200',
    ]);
    // newman fails the run for the user's own test that saw the 401.
    expect(run.code).toBe(1);
    expect(run.stdout).toMatch(/ 1\. {2}AssertionError {2}status is 200 /);
    expect(run.stdout).not.toMatch(/ 2\. /);
    expect(unwrapped(run.stdout)).toContain(
      '[postman-oauth-kit] "request 3" was answered HTTP 401 with the cached token (revoked or expired early); dropped it and re-running the request once with a new token.',
    );
  });
});
