import { readFileSync } from 'node:fs';
import path from 'node:path';
import type { ChildProcess } from 'node:child_process';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, DIST_CLI, ROOT, requireBuilt } from '../helpers/paths.ts';
import { tempDir } from '../helpers/cli.ts';
import { run, start } from '../helpers/spawn.ts';

// The real thing, as a pipeline runs it: the built CLI's mock-server on loopback
// in one process, the newman CLI in another, the committed augmented sample.
const NEWMAN = path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js');
const SECRET = 'loopback-secret-7f3a9c';
let mock: ChildProcess;
let origin: string;
let dir: string;

async function stats() {
  return (await (await fetch(`${origin}/__mock/stats`)).json()) as { tokenCalls: number; apiCalls: number };
}

beforeAll(async () => {
  requireBuilt();
  dir = tempDir();
  const started = await start(
    process.execPath,
    [DIST_CLI, 'mock-server', '--port', '0', '--client-id', 'pipeline-client', '--client-secret', SECRET, '--token-lifetime', '3600'],
    /on (http:\/\/127\.0\.0\.1:\d+)\n/,
  );
  mock = started.child;
  origin = started.match[1]!;
});

afterAll(async () => {
  const closed = new Promise((resolve) => mock.once('close', resolve));
  mock.kill('SIGTERM');
  await closed;
});

function newman(extra: string[]) {
  return run(process.execPath, [
    NEWMAN,
    'run',
    path.join(COLLECTIONS, 'genesys-sample.oauth.postman_collection.json'),
    '--env-var', `oauth_token_url=${origin}/oauth/token`,
    '--env-var', `baseUrl=${origin}`,
    '--env-var', 'vault:oauth-client-id=pipeline-client',
    '--reporters', 'cli',
    ...extra,
  ], { cwd: dir });
}

describe('newman CLI against the loopback mock-server', () => {
  it('runs the committed sample: 2 iterations, 10 API requests, 1 token call, exit 0, no secret or token printed', async () => {
    await fetch(`${origin}/__mock/reset`, { method: 'POST' });
    const r = await newman(['--env-var', `vault:oauth-client-secret=${SECRET}`, '-n', '2']);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(await stats()).toMatchObject({ tokenCalls: 1, apiCalls: 10 });
    expect(r.stdout).toMatch(/│\s+assertions │\s+12 │\s+0 │/);
    expect(r.stdout + r.stderr).not.toContain(SECRET);
    const log = (await (await fetch(`${origin}/__mock/log`)).json()) as unknown[];
    expect(JSON.stringify(log)).not.toContain(SECRET);
  });

  it('a wrong secret: exit 1, one token call for 5 requests (a refusal is not sent again), no API request, invalid_client named, the secret not printed', async () => {
    await fetch(`${origin}/__mock/reset`, { method: 'POST' });
    const wrong = 'wrong-secret-0b1e2d';
    const r = await newman(['--env-var', `vault:oauth-client-secret=${wrong}`]);
    expect(r.code).toBe(1);
    expect(await stats()).toMatchObject({ tokenCalls: 1, apiCalls: 0 });
    expect(r.stdout).toContain('[postman-oauth-kit] the token endpoint refused the request: HTTP 401 invalid_client (authentication failed).');
    expect(r.stdout).toContain('The request was not sent.');
    expect(r.stdout + r.stderr).not.toContain(wrong);
  });

  it('no secret supplied: exit 1, the message names the vault key and how to pass it', async () => {
    await fetch(`${origin}/__mock/reset`, { method: 'POST' });
    const r = await newman([]);
    expect(r.code).toBe(1);
    expect(await stats()).toMatchObject({ tokenCalls: 0, apiCalls: 0 });
    expect(r.stdout).toContain('no value for the vault secret "oauth-client-secret"');
    expect(r.stdout).toContain('--env-var "vault:oauth-client-secret=<value>"');
  });

  it('the committed collection is unchanged by running it', () => {
    const text = readFileSync(path.join(COLLECTIONS, 'genesys-sample.oauth.postman_collection.json'), 'utf8');
    expect(text).not.toContain(SECRET);
    expect(text).toContain('"value": "{{vault:oauth-client-secret}}"');
  });
});
