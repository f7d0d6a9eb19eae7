import { existsSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import path from 'node:path';
import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { startMockServer, type RunningMock } from '../../build/mock/server.ts';
import { DEMO_USER } from '../../build/mock/state.ts';
import { builtBundle, requestsCollection } from '../helpers/collections.ts';
import { addUserClients, envValue, login, printedUrl, readJsonFile, tempDir, USER_CLIENTS, writeJson } from '../helpers/user-grants.ts';

/** `postman-oauth-kit login` without a browser: settings, secrets, errors, the listener's state check. */
let mock: RunningMock;
let port: number;
beforeAll(async () => {
  mock = await startMockServer();
  port = await new Promise<number>((resolve) => {
    const s = createServer().listen(0, '127.0.0.1', () => {
      const p = (s.address() as { port: number }).port;
      s.close(() => resolve(p));
    });
  });
  addUserClients(mock.state, [`http://127.0.0.1:${port}/callback`]);
});
afterEach(() => mock.state.reset());
afterAll(() => mock.close());

function collectionFile(dir: string, grant: string | undefined): string {
  const collection = requestsCollection(1, mock.origin);
  injectIntoCollection(collection, builtBundle(), { ...(grant ? { grant } : {}), tokenUrl: mock.tokenUrl, authorizeUrl: `${mock.origin}/oauth/authorize` }, 'c.json');
  return writeJson(path.join(dir, 'collection.json'), collection);
}

describe('postman-oauth-kit login', () => {
  it('password grant: credentials from POSTMAN_VAULT_* variables, token written owner-only, --print shows the values', async () => {
    const dir = tempDir();
    const file = collectionFile(dir, 'password');
    const { id, secret } = USER_CLIENTS.password;
    const out = await login(
      [file, '-e', 'env.json', '--print'],
      {
        POSTMAN_VAULT_OAUTH_CLIENT_ID: id,
        POSTMAN_VAULT_OAUTH_CLIENT_SECRET: secret,
        POSTMAN_VAULT_OAUTH_USERNAME: DEMO_USER.username,
        POSTMAN_VAULT_OAUTH_PASSWORD: DEMO_USER.password,
      },
      dir,
    );
    expect(out.stderr).toBe('');
    expect(out.code).toBe(0);
    const envFile = path.join(dir, 'env.json');
    expect(statSync(envFile).mode & 0o777).toBe(0o600);
    const env = readJsonFile<{ values: Array<{ key: string; value: unknown }> }>(envFile);
    const token = [...mock.state.tokens.keys()][0];
    expect(envValue(env, 'oauth_access_token')).toBe(token);
    expect(out.stdout).toContain(`  oauth_access_token = ${token}\n`);
    expect(out.stdout).not.toContain(secret);
    expect(out.stdout).not.toContain(DEMO_USER.password);
    expect(mock.state.stats().tokenCallsByGrant).toEqual({ password: 1 });
  });

  it('a redirect with another state is rejected and nothing is written', async () => {
    const dir = tempDir();
    const file = collectionFile(dir, 'pkce');
    const pending = login([file, '-e', 'env.json', '--no-open', '--port', String(port)], { POSTMAN_VAULT_OAUTH_CLIENT_ID: USER_CLIENTS.pkce.id }, dir);
    // Wait for the listener, then send it a forged redirect as a cross-site request would.
    let answer: Response | undefined;
    for (let i = 0; i < 100 && !answer; i++) {
      answer = await fetch(`http://127.0.0.1:${port}/callback?code=stolen&state=forged`).catch(() => undefined);
      if (!answer) await new Promise((r) => setTimeout(r, 50));
    }
    expect(answer?.status).toBe(400);
    const out = await pending;
    expect(out.code).toBe(1);
    expect(printedUrl(out.stdout)).toMatch(/&state=[A-Za-z0-9_-]{32}&code_challenge=/);
    expect(out.stderr).toBe(
      '[postman-oauth-kit] the redirect\'s "state" does not match the one this login sent, so the sign-in was rejected (RFC 6749 section 10.12). Run login again.\n',
    );
    expect(existsSync(path.join(dir, 'env.json'))).toBe(false);
    expect(mock.state.stats().tokenCalls).toBe(0);
  });

  it('refuses a collection whose grant is not a user grant', async () => {
    const dir = tempDir();
    const out = await login([collectionFile(dir, undefined), '-e', 'env.json'], {}, dir);
    expect(out.code).toBe(2);
    expect(out.stderr).toBe(
      '[postman-oauth-kit] the collection\'s oauth_grant is "client_credentials"; login signs in for a user grant: authorization_code, pkce, implicit, password. Pass --grant <grant>, or set oauth_grant.\n',
    );
  });

  it('needs -e, and names the POSTMAN_VAULT_ variable of a missing secret', async () => {
    const dir = tempDir();
    const file = collectionFile(dir, 'pkce');
    const noEnv = await login([file], {}, dir);
    expect(noEnv.code).toBe(2);
    expect(noEnv.stderr).toBe('[postman-oauth-kit] give the environment file to write the tokens into: -e <environment.json> (created if missing).\n');
    const noSecret = await login([file, '-e', 'env.json'], {}, dir);
    expect(noSecret.code).toBe(3);
    expect(noSecret.stderr).toBe(
      '[postman-oauth-kit] no value for the vault secret "oauth-client-id" (used by "oauth_client_id"). Set the environment variable POSTMAN_VAULT_OAUTH_CLIENT_ID, or run login in a terminal to be asked for it.\n',
    );
  });

  it('refuses to write into a file that is not an environment', async () => {
    const dir = tempDir();
    const file = collectionFile(dir, 'pkce');
    writeJson(path.join(dir, 'not-env.json'), { info: {}, item: [] });
    const out = await login([file, '-e', 'not-env.json'], { POSTMAN_VAULT_OAUTH_CLIENT_ID: 'x' }, dir);
    expect(out.code).toBe(3);
    expect(out.stderr).toBe(
      `[postman-oauth-kit] ${path.join(dir, 'not-env.json')} is not a Postman environment (it has no "values" array). Give an environment file exported from Postman, or a new file name to create one.\n`,
    );
  });
});
