import { spawn, type ChildProcess } from 'node:child_process';
import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { chromium, type Browser } from 'playwright-core';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { startMockServer, type RunningMock } from '../../build/mock/server.ts';
import { DEMO_USER } from '../../build/mock/state.ts';
import { builtBundle, requestsCollection } from '../helpers/collections.ts';
import { runCollection } from '../helpers/newman.ts';
import { DIST_CLI } from '../helpers/paths.ts';
import { addUserClients, envValue, readJsonFile, tempDir, USER_CLIENTS, writeJson } from '../helpers/user-grants.ts';

/**
 * The proof of the browser sign-in: `postman-oauth-kit login` (the built CLI,
 * as a child process) with Debian's headless Chromium filling the mock's HTML
 * sign-in form, then newman with the environment file the login wrote.
 */
const CHROMIUM = '/usr/bin/chromium';
const CHROMIUM_ARGS = [
  '--headless',
  '--no-sandbox',
  '--disable-gpu',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

type Env = { values: Array<{ key: string; value: unknown }> };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

let browser: Browser;
let mock: RunningMock;
let loginPort: number;
const children: ChildProcess[] = [];

beforeAll(async () => {
  if (!existsSync(CHROMIUM)) {
    throw new Error(`${CHROMIUM} is missing: install Debian's chromium (apt-get install -y chromium); .ci/run does.`);
  }
  browser = await chromium.launch({ executablePath: CHROMIUM, args: CHROMIUM_ARGS });
  mock = await startMockServer();
  loginPort = await freePort();
  addUserClients(mock.state, [`http://127.0.0.1:${loginPort}/callback`]);
});
afterEach(() => {
  mock.state.reset();
  for (const child of children.splice(0)) if (child.exitCode === null) child.kill();
});
afterAll(async () => {
  await browser?.close();
  await mock?.close();
});

/** Starts the login CLI and resolves with the authorization URL it prints, plus its exit. */
function startLogin(args: string[], env: Record<string, string>) {
  const child = spawn(process.execPath, [DIST_CLI, 'login', ...args], {
    env: { PATH: process.env['PATH'] ?? '', ...env },
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  children.push(child);
  let stdout = '';
  let stderr = '';
  const exited = new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) =>
    child.on('exit', (code) => resolve({ code, stdout, stderr })),
  );
  const url = new Promise<string>((resolve, reject) => {
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      const match = /Open this URL in a browser to sign in:\n {2}(\S+)\n/.exec(stdout);
      if (match) resolve(match[1] as string);
    });
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    void exited.then((r) => reject(new Error(`login exited ${r.code} before printing a URL:\n${r.stdout}\n${r.stderr}`)));
  });
  return { url, exited };
}

/** A collection of `count` requests to the loopback mock, augmented for `grant`. */
function collectionFor(dir: string, grant: string, count: number): string {
  const collection = requestsCollection(count, mock.origin);
  injectIntoCollection(collection, builtBundle(), { grant, tokenUrl: mock.tokenUrl, authorizeUrl: `${mock.origin}/oauth/authorize` }, 'c.json');
  return writeJson(path.join(dir, 'collection.json'), collection);
}

async function signInWithChromium(url: string): Promise<string> {
  const page = await browser.newPage();
  try {
    await page.goto(url);
    await page.fill('#username', DEMO_USER.username);
    await page.fill('#password', DEMO_USER.password);
    await page.click('#sign-in');
    await page.waitForSelector('h1:text("Signed in")');
    return (await page.textContent('#result')) ?? '';
  } finally {
    await page.close();
  }
}

function apiTokenIds(): string[] {
  return mock.state.log.filter((e) => e.kind === 'api').map((e) => e.tokenId ?? `status ${e.status}`);
}

describe('postman-oauth-kit login in headless Chromium, then newman -e', () => {
  it('pkce: signs in on the HTML form, writes an owner-only environment, and newman sends every request with the new token', async () => {
    const dir = tempDir();
    const collectionFile = collectionFor(dir, 'pkce', 3);
    // An existing environment: login changes only its own keys.
    const envFile = writeJson(path.join(dir, 'env.json'), {
      id: 'e1',
      name: 'mine',
      values: [{ key: 'team', value: 'blue', enabled: true }],
      _postman_variable_scope: 'environment',
    });
    const clientId = USER_CLIENTS.pkce.id;
    const login = startLogin([collectionFile, '-e', envFile, '--no-open', '--port', String(loginPort)], {
      POSTMAN_VAULT_OAUTH_CLIENT_ID: clientId,
    });
    const url = await login.url;
    expect(url).toMatch(/^http:\/\/127\.0\.0\.1:\d+\/oauth\/authorize\?response_type=code&client_id=pkce-client&redirect_uri=http%3A%2F%2F127\.0\.0\.1%3A\d+%2Fcallback&state=[A-Za-z0-9_-]{32}&code_challenge=[A-Za-z0-9_-]{43}&code_challenge_method=S256$/);
    expect(await signInWithChromium(url)).toBe('postman-oauth-kit received the sign-in. You can close this tab and return to the terminal.');
    const done = await login.exited;
    expect(done.stderr).toBe('');
    expect(done.code).toBe(0);
    expect(done.stdout).toMatch(/signed in \(pkce\): wrote an access token \(expires [^)]+\) to .*env\.json \(mode 0600\)\./);

    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const env = readJsonFile<Env>(envFile);
    const token = [...mock.state.tokens.keys()][0] as string;
    expect(envValue(env, 'team')).toBe('blue');
    expect(envValue(env, 'oauth_token_store')).toBe('environment');
    expect(envValue(env, 'oauth_access_token')).toBe(token);
    expect(envValue(env, 'oauth_refresh_token')).toBe('');
    expect(done.stdout).not.toContain(token);
    expect(mock.state.signIns).toBe(1);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ authorization_code: 1 });

    const run = await runCollection({
      collection: readJsonFile(collectionFile),
      environment: envFile,
      envVar: [{ key: 'vault:oauth-client-id', value: clientId }],
    });
    expect(run.error).toBeNull();
    expect(run.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1', 't1', 't1']);
    expect(mock.state.stats().tokenCalls).toBe(1);
  });

  it('implicit: the callback page posts the #fragment back, and newman uses that token', async () => {
    const dir = tempDir();
    const collectionFile = collectionFor(dir, 'implicit', 2);
    const envFile = path.join(dir, 'new-env.json');
    const clientId = USER_CLIENTS.implicit.id;
    const login = startLogin([collectionFile, '-e', envFile, '--no-open', '--port', String(loginPort)], {
      POSTMAN_VAULT_OAUTH_CLIENT_ID: clientId,
    });
    const url = await login.url;
    expect(url).toMatch(/\?response_type=token&client_id=implicit-client&/);
    expect(await signInWithChromium(url)).toBe('postman-oauth-kit received the sign-in. You can close this tab and return to the terminal.');
    const done = await login.exited;
    expect(done.code).toBe(0);
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const env = readJsonFile<Env & { _postman_variable_scope: string }>(envFile);
    expect(env._postman_variable_scope).toBe('environment');
    expect(envValue(env, 'oauth_access_token')).toBe([...mock.state.tokens.keys()][0]);

    const run = await runCollection({
      collection: readJsonFile(collectionFile),
      environment: envFile,
      envVar: [{ key: 'vault:oauth-client-id', value: clientId }],
    });
    expect(run.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1', 't1']);
    expect(mock.state.stats().tokenCalls).toBe(0);
  });

  it('authorization_code: the client secret comes from POSTMAN_VAULT_OAUTH_CLIENT_SECRET and the refresh token is stored', async () => {
    const dir = tempDir();
    const collectionFile = collectionFor(dir, 'authorization_code', 1);
    const envFile = path.join(dir, 'env.json');
    const { id, secret } = USER_CLIENTS.code;
    const login = startLogin([collectionFile, '-e', envFile, '--no-open', '--port', String(loginPort)], {
      POSTMAN_VAULT_OAUTH_CLIENT_ID: id,
      POSTMAN_VAULT_OAUTH_CLIENT_SECRET: secret,
    });
    await signInWithChromium(await login.url);
    const done = await login.exited;
    expect(done.code).toBe(0);
    expect(done.stdout).toContain('and a refresh token');
    expect(done.stdout + done.stderr).not.toContain(secret);
    const env = readJsonFile<Env>(envFile);
    expect(envValue(env, 'oauth_refresh_token')).toBe([...mock.state.refreshTokens.keys()][0]);
    const run = await runCollection({
      collection: readJsonFile(collectionFile),
      environment: envFile,
      envVar: [
        { key: 'vault:oauth-client-id', value: id },
        { key: 'vault:oauth-client-secret', value: secret },
      ],
    });
    expect(run.failures).toEqual([]);
    expect(apiTokenIds()).toEqual(['t1']);
  });

  it('a sign-in refused in the browser ends login with the server\'s error and writes nothing', async () => {
    const dir = tempDir();
    const collectionFile = collectionFor(dir, 'pkce', 1);
    const envFile = path.join(dir, 'env.json');
    const login = startLogin([collectionFile, '-e', envFile, '--no-open', '--port', String(loginPort)], {
      POSTMAN_VAULT_OAUTH_CLIENT_ID: USER_CLIENTS.pkce.id,
    });
    const page = await browser.newPage();
    await page.goto(await login.url);
    await page.click('#deny');
    await page.waitForSelector('h1:text("Sign-in failed")');
    await page.close();
    const done = await login.exited;
    expect(done.code).toBe(1);
    expect(done.stderr).toBe(
      '[postman-oauth-kit] the sign-in failed: the authorization server redirected with error "access_denied" (The user denied access). Run login again.\n',
    );
    expect(existsSync(envFile)).toBe(false);
  });
});
