import { afterAll, afterEach, beforeAll, describe, expect, it } from 'vitest';
import { augmentedSample, SECRET_ENV } from '../helpers/collections.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';

const mock = startInProcessMock();
afterEach(() => {
  mock.state.reset();
  mock.server.resetHandlers();
});
afterAll(() => mock.server.close());

describe('client credentials in newman (in-process MSW mock, real hostnames)', () => {
  it('3 iterations x 5 requests make exactly one token call', async () => {
    const result = await runCollection({ collection: augmentedSample(), iterationCount: 3, envVar: SECRET_ENV });
    expect(result.error).toBeNull();
    expect(result.failures).toEqual([]);
    const stats = mock.state.stats();
    expect(stats.tokenCalls).toBe(1);
    expect(stats.apiCalls).toBe(15);
    expect(mock.state.log.filter((e) => e.kind === 'api').every((e) => e.status === 200 && e.tokenId === 't1')).toBe(true);
    expect(mock.state.log[0]?.host).toBe('login.mypurecloud.ie');
    expect(mock.state.log[1]?.host).toBe('api.mypurecloud.ie');
  });

  it('a wrong secret fails the run, sends no API request and names invalid_client', async () => {
    const result = await runCollection({
      collection: augmentedSample(),
      envVar: [SECRET_ENV[0]!, { key: 'vault:oauth-client-secret', value: 'wrong-secret-value' }],
    });
    expect(result.error).toBeNull();
    expect(result.exitCode).toBe(1);
    expect(mock.state.stats().apiCalls).toBe(0);
    expect(result.sent).toEqual([]);
    expect(result.failures).toHaveLength(5);
    expect(result.failures[0]).toBe(
      '[postman-oauth-kit] the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post).: ' +
        'the token endpoint refused the request: HTTP 401 invalid_client (authentication failed). Check the client id and client secret, and "oauth_client_auth" (basic or post). The request was not sent.',
    );
    expect(JSON.stringify(result.console)).not.toContain('wrong-secret-value');
  });
});

describe('refresh before expiry (newman, in-process mock)', () => {
  it('a 2 s token lifetime over a paced run gives one token call per usable lifetime', async () => {
    // Usable lifetime: 2 s minus a 0.2 s margin (10% of the lifetime) = 1.8 s.
    // Requests 1 s apart: request k runs at >= k s, so requests 0, 2, 4 (at >= 0, 2, 4 s)
    // find the previous token past 1.8 s and fetch; requests 1, 3, 5 reuse it while
    // they run less than 0.8 s late. Delays only add, so a slow machine cannot
    // make a refresh happen too early.
    mock.state.clients.get('demo-client-id')!.tokenLifetimeSeconds = 2;
    const { requestsCollection } = await import('../helpers/collections.ts');
    const { injectIntoCollection } = await import('../../build/inject.ts');
    const { builtBundle } = await import('../helpers/collections.ts');
    const collection = requestsCollection(6);
    injectIntoCollection(collection, builtBundle(), { provider: 'genesys', region: 'mypurecloud.ie' }, 'six');
    const result = await runCollection({ collection, envVar: SECRET_ENV, delayRequest: 1000 });
    mock.state.clients.get('demo-client-id')!.tokenLifetimeSeconds = 86399;
    expect(result.failures).toEqual([]);
    const api = mock.state.log.filter((e) => e.kind === 'api');
    expect(api.map((e) => e.status)).toEqual([200, 200, 200, 200, 200, 200]);
    expect(mock.state.stats().tokenCalls).toBe(3);
    expect(api.map((e) => e.tokenId)).toEqual(['t1', 't1', 't2', 't2', 't3', 't3']);
  });
});

describe('the client-credentials-only script (inject --slim)', () => {
  it('is smaller, serves client credentials, and names the fix when oauth_grant asks for a user grant', async () => {
    const { readFileSync } = await import('node:fs');
    const path = await import('node:path');
    const { cli, tempDir } = await import('../helpers/cli.ts');
    const { COLLECTIONS, ROOT } = await import('../helpers/paths.ts');
    const dir = tempDir();
    const r = await cli(['inject', path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'), '-o', 'slim.json', '--slim', '--provider', 'genesys', '--region', 'mypurecloud.ie'], dir);
    expect(r.stderr).toBe('');
    const slim = readFileSync(path.join(ROOT, 'dist', 'scripts', 'client-credentials.js'), 'utf8');
    const all = readFileSync(path.join(ROOT, 'dist', 'scripts', 'all-grants.js'), 'utf8');
    expect(slim.length).toBeLessThan(all.length * 0.8);
    expect(r.stdout).toContain(`script ${slim.length} bytes`);
    const collection = JSON.parse(readFileSync(path.join(dir, 'slim.json'), 'utf8'));

    const ok = await runCollection({ collection, envVar: SECRET_ENV });
    expect(ok.failures).toEqual([]);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 5 });

    mock.state.reset();
    const switched = await runCollection({ collection, envVar: [...SECRET_ENV, { key: 'oauth_grant', value: 'pkce' }] });
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 0, apiCalls: 0 });
    expect(switched.failures[0]).toBe(
      '[postman-oauth-kit] "oauth_grant" is "pkce", but this collection carries the client-credentials-only script (inject --slim). Re-run "postman-oauth-kit inject" without --slim to get every grant.: ' +
        '"oauth_grant" is "pkce", but this collection carries the client-credentials-only script (inject --slim). Re-run "postman-oauth-kit inject" without --slim to get every grant. The request was not sent.',
    );

    const refused = await cli(['inject', path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'), '-o', 'x.json', '--slim', '--grant', 'pkce', '--provider', 'genesys', '--region', 'mypurecloud.ie'], dir);
    expect(refused.code).toBe(2);
    expect(refused.stderr).toBe('[postman-oauth-kit] --slim embeds the client-credentials-only script; it cannot serve --grant pkce. Leave out --slim.\n');
  });
});
