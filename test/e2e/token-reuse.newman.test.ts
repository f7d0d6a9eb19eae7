import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, afterEach, describe, expect, it } from 'vitest';
import { injectIntoCollection } from '../../build/inject.ts';
import { builtBundle, requestsCollection } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';

const mock = startInProcessMock();
const dir = mkdtempSync(path.join(tmpdir(), 'oauth-kit-reuse-'));
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => {
  mock.server.close();
  rmSync(dir, { recursive: true, force: true });
});

/** Secrets as newman --global-var: unlike --env-var they are not written by --export-environment. */
const SECRET_GLOBALS = [
  { key: 'vault:oauth-client-id', value: 'demo-client-id' },
  { key: 'vault:oauth-client-secret', value: 'demo-client-secret' },
];

function collection(tokenStore: 'collection' | 'environment') {
  const c = requestsCollection(5);
  injectIntoCollection(c, builtBundle(), { tokenUrl: 'https://login.mypurecloud.ie/oauth/token', tokenStore }, 'requests.json');
  return c;
}

function issuedTokenValues(): string[] {
  return [...mock.state.tokens.values()].map((t) => t.value);
}

describe('token reuse across runs (oauth_token_store=environment, newman -e / --export-environment)', () => {
  it('a second run within the token lifetime makes zero token calls; the token is only in the environment file', async () => {
    const envFile = path.join(dir, 'ci.postman_environment.json');
    writeFileSync(envFile, JSON.stringify({ name: 'ci', values: [{ key: 'note', value: 'kept', enabled: true }] }));
    const firstCollection = path.join(dir, 'run1.postman_collection.json');

    const first = await runCollection({
      collection: collection('environment'),
      environment: envFile,
      globalVar: SECRET_GLOBALS,
      exportEnvironment: envFile,
      exportCollection: firstCollection,
    });
    expect(first.error).toBeNull();
    expect(first.failures).toEqual([]);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 5 });
    const [token] = issuedTokenValues();
    const exported = readFileSync(envFile, 'utf8');
    expect(exported).toContain(token);
    expect(exported).toContain('"oauth_token_expires_at"');
    expect(exported).not.toContain('demo-client-secret');
    expect(readFileSync(firstCollection, 'utf8')).not.toContain(token);

    mock.state.log.length = 0;
    const second = await runCollection({
      collection: collection('environment'),
      environment: envFile,
      globalVar: SECRET_GLOBALS,
      exportEnvironment: envFile,
    });
    expect(second.error).toBeNull();
    expect(second.failures).toEqual([]);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 0, apiCalls: 5 });
    expect(mock.state.log.every((e) => e.tokenId === 't1' && e.status === 200)).toBe(true);
  });

  it('a token revoked between runs is replaced on the first 401 of the next run', async () => {
    const envFile = path.join(dir, 'revoked.postman_environment.json');
    writeFileSync(envFile, JSON.stringify({ name: 'ci', values: [] }));
    await runCollection({ collection: collection('environment'), environment: envFile, globalVar: SECRET_GLOBALS, exportEnvironment: envFile });
    mock.state.revokeAll();
    mock.state.log.length = 0;
    const second = await runCollection({ collection: collection('environment'), environment: envFile, globalVar: SECRET_GLOBALS });
    expect(second.error).toBeNull();
    expect(mock.state.log.map((e) => `${e.kind} ${e.status}`)).toEqual([
      'api 401',
      'token 200',
      'api 200',
      'api 200',
      'api 200',
      'api 200',
      'api 200',
    ]);
    expect(second.failures).toEqual(['status is 200: expected response to have status code 200 but got 401']);
  });

  it('with the default collection store nothing carries over: the next run fetches again, the exported collection has no token', async () => {
    const envFile = path.join(dir, 'plain.postman_environment.json');
    const collectionFile = path.join(dir, 'plain.postman_collection.json');
    writeFileSync(envFile, JSON.stringify({ name: 'ci', values: [] }));
    const first = await runCollection({
      collection: collection('collection'),
      environment: envFile,
      globalVar: SECRET_GLOBALS,
      exportEnvironment: envFile,
      exportCollection: collectionFile,
    });
    expect(first.failures).toEqual([]);
    const [token] = issuedTokenValues();
    expect(readFileSync(envFile, 'utf8')).not.toContain(token);
    expect(readFileSync(collectionFile, 'utf8')).not.toContain(token);
    await runCollection({ collection: collection('collection'), environment: envFile, globalVar: SECRET_GLOBALS });
    expect(mock.state.stats().tokenCalls).toBe(2);
  });

  it('secrets passed with --env-var are written by --export-environment (why the docs say --global-var)', async () => {
    const envFile = path.join(dir, 'envvar.postman_environment.json');
    writeFileSync(envFile, JSON.stringify({ name: 'ci', values: [] }));
    await runCollection({
      collection: collection('environment'),
      environment: envFile,
      envVar: SECRET_GLOBALS,
      exportEnvironment: envFile,
    });
    expect(readFileSync(envFile, 'utf8')).toContain('demo-client-secret');
  });
});
