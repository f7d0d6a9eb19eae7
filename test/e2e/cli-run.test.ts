import { randomBytes } from 'node:crypto';
import { promises as fs } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { startMockServer, type RunningMock } from '../../build/mock/server.ts';
import { MockState } from '../../build/mock/state.ts';
import { filesUnder, spawnCli, tempFolder } from '../helpers/cli-process.ts';
import { COLLECTIONS } from '../helpers/paths.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

const SAMPLE = path.join(COLLECTIONS, 'genesys-sample.postman_collection.json');
const CLIENT_ID = 'ci-client-id';
// Random per run, so finding it anywhere can only mean a leak.
const SECRET = `ci-secret-${randomBytes(12).toString('hex')}`;
const BASIC = Buffer.from(`${CLIENT_ID}:${SECRET}`).toString('base64');
const SECRETS_ENV = { POSTMAN_VAULT_GC_CLIENT_ID: CLIENT_ID, POSTMAN_VAULT_GC_CLIENT_SECRET: SECRET };

let mock: RunningMock;
let dir: string;

beforeAll(async () => {
  mock = await startMockServer({
    state: new MockState({
      clients: [{ id: CLIENT_ID, secret: SECRET, name: 'CI client', grants: ['client_credentials'], tokenLifetimeSeconds: 3600 }],
    }),
  });
});
afterAll(() => mock.close());

/** A fresh project folder holding the collection built by the CLI's inject, as a user would build it. */
async function freshProject(): Promise<void> {
  mock.state.reset();
  dir = await tempFolder();
  const built = await spawnCli(
    ['inject', SAMPLE, '-o', 'api.oauth.postman_collection.json', '--provider', 'genesys', '--region', 'mypurecloud.ie',
      '--client-id', '{{vault:gc-client-id}}', '--client-secret', '{{vault:gc-client-secret}}'],
    { cwd: dir },
  );
  expect(built.code).toBe(0);
  const collection = JSON.parse(await fs.readFile(path.join(dir, 'api.oauth.postman_collection.json'), 'utf8')) as unknown;
  expect(collectionSchemaErrors(collection)).toEqual([]);
}

/** Points the collection at the loopback mock, as in a pipeline's test stage. */
function mockVars(): string[] {
  return ['--env-var', `oauth_token_url=${mock.tokenUrl}`, '--env-var', `baseUrl=${mock.origin}`];
}

async function everyOutput(result: { stdout: string; stderr: string }): Promise<string[]> {
  return [result.stdout, result.stderr, ...(await filesUnder(dir)).map((f) => f.text)];
}

function issuedTokens(): string[] {
  return [...mock.state.tokens.keys()];
}

describe('postman-oauth-kit run: vault secrets from the process environment', () => {
  beforeEach(freshProject);
  it('runs with POSTMAN_VAULT_* secrets; the secret is in no argument, output or report, and no token is in clear', async () => {
    const result = await spawnCli(
      ['run', 'api.oauth.postman_collection.json', ...mockVars(), '-n', '2', '-r', 'cli,json,junit',
        '--reporter-json-export', 'reports/run.json', '--reporter-junit-export', 'reports/junit.xml'],
      { cwd: dir, env: SECRETS_ENV },
    );
    await fs.mkdir(path.join(dir, 'reports'), { recursive: true });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toContain(
      '[postman-oauth-kit] vault secrets from the environment: "gc-client-id" (POSTMAN_VAULT_GC_CLIENT_ID), "gc-client-secret" (POSTMAN_VAULT_GC_CLIENT_SECRET)\n',
    );
    expect(result.stdout).toMatch(/│\s+assertions │\s+12 │\s+0 │/);
    const stats = mock.state.stats();
    expect(stats).toMatchObject({ tokenCalls: 1, tokensIssued: 1, apiCalls: 10, apiUnauthorized: 0 });

    expect(result.argv.join(' ')).not.toContain(SECRET);
    const tokens = issuedTokens();
    expect(tokens).toHaveLength(1);
    for (const text of await everyOutput(result)) {
      expect(text).not.toContain(SECRET);
      expect(text).not.toContain(BASIC);
      for (const token of tokens) expect(text).not.toContain(token);
    }

    const report = JSON.parse(await fs.readFile(path.join(dir, 'reports/run.json'), 'utf8')) as {
      environment: { values: { key: string; value: string }[] };
      run: { executions: { request: { header: { key: string; value: string }[] } }[]; failures: unknown[] };
    };
    expect(report.run.failures).toEqual([]);
    expect(report.environment.values.find((v) => v.key === 'vault:gc-client-secret')?.value).toBe('[redacted]');
    expect(report.environment.values.find((v) => v.key === 'vault:gc-client-id')?.value).toBe('[redacted]');
    const auth = report.run.executions.map((e) => e.request.header.find((h) => h.key === 'Authorization')?.value);
    expect(auth.filter((a) => a === 'Bearer [redacted]').length).toBeGreaterThanOrEqual(10);
    expect(auth.every((a) => a === 'Bearer [redacted]' || a === 'Basic [redacted]')).toBe(true);
    const junit = await fs.readFile(path.join(dir, 'reports/junit.xml'), 'utf8');
    expect(junit).toMatch(/<testsuites name="Genesys Cloud sample \(postman-oauth-kit\)" tests="10"/);
    expect(junit.match(/<testcase /g)).toHaveLength(6);
    expect(junit).not.toContain('<failure');
  });

  it('redacts secrets given with --env-var "vault:key=value", which newman records in the JSON report', async () => {
    const result = await spawnCli(
      ['run', 'api.oauth.postman_collection.json', ...mockVars(), '--env-var', `vault:gc-client-id=${CLIENT_ID}`,
        '--env-var', `vault:gc-client-secret=${SECRET}`, '-r', 'json', '--reporter-json-export', 'run.json',
        '--export-environment', 'env-out.json'],
      { cwd: dir },
    );
    expect(result.code).toBe(0);
    expect(mock.state.stats().tokenCalls).toBe(1);
    const report = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as { environment: { values: { key: string; value: string }[] } };
    expect(report.environment.values.find((v) => v.key === 'vault:gc-client-secret')?.value).toBe('[redacted]');
    const exported = JSON.parse(await fs.readFile(path.join(dir, 'env-out.json'), 'utf8')) as { values: { key: string }[] };
    expect(exported.values.map((v) => v.key)).toEqual(['oauth_token_url', 'baseUrl']);
    for (const text of [result.stdout, result.stderr, ...(await filesUnder(dir)).filter((f) => f.file !== 'api.oauth.postman_collection.json').map((f) => f.text)]) {
      expect(text).not.toContain(SECRET);
      for (const token of issuedTokens()) expect(text).not.toContain(token);
    }
  });

  it('--export-environment leaves the vault secrets out and keeps the cached token, which the next run reuses', async () => {
    const rebuilt = await spawnCli(
      ['inject', 'api.oauth.postman_collection.json', '--in-place', '--token-store', 'environment'],
      { cwd: dir },
    );
    expect(rebuilt.code).toBe(0);
    const first = await spawnCli(['run', 'api.oauth.postman_collection.json', ...mockVars(), '--export-environment', 'cache.json'], { cwd: dir, env: SECRETS_ENV });
    expect(first.code).toBe(0);
    const exported = JSON.parse(await fs.readFile(path.join(dir, 'cache.json'), 'utf8')) as { values: { key: string; value: string }[] };
    expect(exported.values.map((v) => v.key).filter((k) => k.startsWith('vault:'))).toEqual([]);
    expect(JSON.stringify(exported)).not.toContain(SECRET);
    expect(exported.values.find((v) => v.key === 'oauth_access_token')?.value).toBe(issuedTokens()[0]);
    const second = await spawnCli(['run', 'api.oauth.postman_collection.json', '-e', 'cache.json', '-r', 'json', '--reporter-json-export', 'second.json'], {
      cwd: dir,
      env: SECRETS_ENV,
    });
    expect(second.code).toBe(0);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 10 });
    // The reused token came from the environment file: still not in clear in the report.
    expect(await fs.readFile(path.join(dir, 'second.json'), 'utf8')).not.toContain(issuedTokens()[0]);
  });

  it('reads the secrets from a dotenv file given with --vault-env-file; the process environment wins', async () => {
    await fs.writeFile(path.join(dir, '.env.vault'), `# CI secrets\nPOSTMAN_VAULT_GC_CLIENT_ID=${CLIENT_ID}\nPOSTMAN_VAULT_GC_CLIENT_SECRET="wrong-secret-in-file"\n`);
    const fromFile = await spawnCli(['run', 'api.oauth.postman_collection.json', ...mockVars(), '--vault-env-file', '.env.vault'], {
      cwd: dir,
      env: { POSTMAN_VAULT_GC_CLIENT_SECRET: SECRET },
    });
    expect(fromFile.code).toBe(0);
    expect(mock.state.stats()).toMatchObject({ tokensIssued: 1, apiCalls: 5 });
  });

  it('loads an installed newman-reporter-* and redacts what it writes too (an htmlextra-like dump of the run)', async () => {
    // A third-party reporter that, like htmlextra, writes environment values, request headers and response bodies.
    const reporterDir = path.join(dir, 'node_modules', 'newman-reporter-dump');
    await fs.mkdir(reporterDir, { recursive: true });
    await fs.writeFile(
      path.join(reporterDir, 'index.js'),
      `module.exports = function (newman, options) {
  newman.on('beforeDone', function (err, o) {
    var env = o.summary.environment.values.all().map(function (v) { return v.key + '=' + v.value; });
    var rows = o.summary.run.executions.map(function (e) {
      return '<tr><td>' + e.request.headers.toString() + '</td><td>' + (e.response ? e.response.text() : '') + '</td></tr>';
    });
    newman.exports.push({ name: 'dump', default: 'dump.html', path: options.export,
      content: '<html><pre>' + env.join('\\n') + '</pre><table>' + rows.join('') + '</table></html>' });
  });
};\n`,
    );
    const result = await spawnCli(
      ['run', 'api.oauth.postman_collection.json', ...mockVars(), '-r', 'dump', '--reporter-dump-export', 'dump.html'],
      { cwd: dir, env: { ...SECRETS_ENV, NODE_PATH: path.join(dir, 'node_modules') } },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    const html = await fs.readFile(path.join(dir, 'dump.html'), 'utf8');
    expect(html).toContain('vault:gc-client-secret=[redacted]');
    // newman lists the first item twice (its token pm.sendRequest shares the item's cursor).
    expect(html.match(/Authorization: Bearer \[redacted\]/g)!.length).toBeGreaterThanOrEqual(5);
    expect(html).not.toMatch(/Authorization: (Bearer|Basic) (?!\[redacted\])/);
    expect(html).not.toContain(SECRET);
    for (const token of issuedTokens()) expect(html).not.toContain(token);
  });

  it('lists every missing vault secret by name before any request is sent (exit 2)', async () => {
    const result = await spawnCli(['run', 'api.oauth.postman_collection.json', ...mockVars(), '-r', 'json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(
      '[postman-oauth-kit] the collection uses vault secrets with no value: "gc-client-id" (POSTMAN_VAULT_GC_CLIENT_ID), "gc-client-secret" (POSTMAN_VAULT_GC_CLIENT_SECRET). ' +
        'Set those environment variables (or put them in a dotenv file given with --vault-env-file), or pass --env-var "vault:<key>=<value>". No request was sent.\n',
    );
    expect(mock.state.log).toEqual([]);
    expect((await filesUnder(dir)).map((f) => f.file)).toEqual(['api.oauth.postman_collection.json']);
  });

  it('asks only for the secrets the winning definitions use (an environment overrides the collection)', async () => {
    const env = await spawnCli(['env', '--provider', 'genesys', '--region', 'mypurecloud.ie', '-o', 'ie.json', '--client-secret', '{{vault:ie-secret}}'], { cwd: dir });
    expect(env.code).toBe(0);
    const result = await spawnCli(['run', 'api.oauth.postman_collection.json', '-e', 'ie.json', ...mockVars()], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '[postman-oauth-kit] the collection uses vault secrets with no value: "oauth-client-id" (POSTMAN_VAULT_OAUTH_CLIENT_ID), "ie-secret" (POSTMAN_VAULT_IE_SECRET). ' +
        'Set those environment variables (or put them in a dotenv file given with --vault-env-file), or pass --env-var "vault:<key>=<value>". No request was sent.\n',
    );
  });

  it('names the one missing secret and the vault file when only part is supplied', async () => {
    await fs.writeFile(path.join(dir, 'vault.env'), `POSTMAN_VAULT_GC_CLIENT_ID=${CLIENT_ID}\n`);
    const result = await spawnCli(['run', 'api.oauth.postman_collection.json', ...mockVars(), '--vault-env-file', 'vault.env'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe(
      '[postman-oauth-kit] the collection uses a vault secret with no value: "gc-client-secret" (POSTMAN_VAULT_GC_CLIENT_SECRET). ' +
        'Set that environment variable or add them to the --vault-env-file, or pass --env-var "vault:<key>=<value>". No request was sent.\n',
    );
    expect(mock.state.log).toEqual([]);
  });

  it('a refused secret fails the run with exit 1, the reason in the junit report, no API request sent', async () => {
    const result = await spawnCli(
      ['run', 'api.oauth.postman_collection.json', ...mockVars(), '-r', 'cli,junit', '--reporter-junit-export', 'junit.xml'],
      { cwd: dir, env: { ...SECRETS_ENV, POSTMAN_VAULT_GC_CLIENT_SECRET: 'not-the-secret' } },
    );
    expect(result.code).toBe(1);
    expect(mock.state.stats()).toMatchObject({ tokenCalls: 1, apiCalls: 0 });
    const junit = await fs.readFile(path.join(dir, 'junit.xml'), 'utf8');
    expect(junit).toContain('[postman-oauth-kit] the token endpoint refused the request: HTTP 401 invalid_client (authentication failed).');
    for (const text of await everyOutput(result)) expect(text).not.toContain('not-the-secret');

    const suppressed = await spawnCli(['run', 'api.oauth.postman_collection.json', ...mockVars(), '-x', '-r', 'progress'], {
      cwd: dir,
      env: { ...SECRETS_ENV, POSTMAN_VAULT_GC_CLIENT_SECRET: 'not-the-secret' },
    });
    expect(suppressed.code).toBe(0);
  });
});

describe('postman-oauth-kit run --mock', () => {
  beforeEach(freshProject);
  it('runs a collection offline against the in-process mock with the real hostnames of the env file', async () => {
    const env = await spawnCli(
      ['env', '--provider', 'genesys', '--region', 'euw2.pure.cloud', '-o', 'gc.postman_environment.json',
        '--client-id', '{{vault:gc-client-id}}', '--client-secret', '{{vault:gc-client-secret}}'],
      { cwd: dir },
    );
    expect(env.code).toBe(0);
    const result = await spawnCli(
      ['run', 'api.oauth.postman_collection.json', '-e', 'gc.postman_environment.json', '--mock', '-n', '3', '-r', 'cli,json', '--reporter-json-export', 'run.json'],
      { cwd: dir },
    );
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n').slice(0, 2)).toEqual([
      '[postman-oauth-kit] --mock: every request goes to the built-in mock login and API server in this process (hostnames kept); nothing leaves this machine.',
      '[postman-oauth-kit] --mock: using mock values for "gc-client-id", "gc-client-secret".',
    ]);
    expect(result.stdout).toContain('POST https://login.euw2.pure.cloud/oauth/token [200 OK');
    expect(result.stdout).toContain('GET https://api.euw2.pure.cloud/api/v2/tokens/me [200 OK');
    expect(result.stdout.trimEnd().split('\n').at(-1)).toBe('[postman-oauth-kit] --mock: 1 token call, 15 API requests.');
    const report = JSON.parse(await fs.readFile(path.join(dir, 'run.json'), 'utf8')) as {
      run: { failures: unknown[]; executions: { response: { stream: { data: number[] } } }[] };
    };
    expect(report.run.failures).toEqual([]);
    const first = JSON.parse(Buffer.from(report.run.executions[0]!.response.stream.data).toString('utf8')) as { organization: { name: string } };
    expect(first.organization.name).toBe('Mock Organization');
    expect(mock.state.log).toEqual([]);
  });

  it('uses the secrets it is given when they are there; the cli reporter is the default', async () => {
    const result = await spawnCli(['run', 'api.oauth.postman_collection.json', '--mock'], { cwd: dir, env: SECRETS_ENV });
    expect(result.code).toBe(0);
    expect(result.stdout).not.toContain('using mock values');
    expect(result.stdout).toContain('\nnewman\n\nGenesys Cloud sample (postman-oauth-kit)\n');
    expect(result.stdout).toMatch(/│\s+assertions │\s+6 │\s+0 │/);
    expect(result.stdout).toContain('[postman-oauth-kit] --mock: 1 token call, 5 API requests.');
  });
});

describe('postman-oauth-kit run: bad input', () => {
  beforeAll(freshProject);
  const cases: [string, string[], number, string][] = [
    ['no collection', ['run'], 2, 'give the collection file to run: postman-oauth-kit run <collection.json> [options]'],
    ['two collections', ['run', 'a.json', 'b.json'], 2, 'give exactly one collection file (got 2: a.json, b.json).'],
    ['unknown option', ['run', 'x.json', '--verbose'], 2, 'unknown option --verbose for "run". Run "postman-oauth-kit run --help" for the options.'],
    ['missing file', ['run', 'missing.json'], 3, '__DIR__/missing.json does not exist. Check the path.'],
    ['bad --env-var', ['run', 'api.oauth.postman_collection.json', '--env-var', 'novalue'], 2, '--env-var "novalue" must look like key=value.'],
    ['bad --iteration-count', ['run', 'api.oauth.postman_collection.json', '-n', '0'], 2, '--iteration-count "0" must be a whole number from 1 to 1000000.'],
    ['bad --color', ['run', 'api.oauth.postman_collection.json', '--color', 'blue'], 2, '--color "blue" is not valid; use one of: on, off, auto.'],
    ['missing --vault-env-file', ['run', 'api.oauth.postman_collection.json', '--vault-env-file', 'nope.env'], 2, '--vault-env-file nope.env does not exist. Check the path.'],
    ['environment that is a collection', ['run', 'api.oauth.postman_collection.json', '-e', 'api.oauth.postman_collection.json'], 3,
      'api.oauth.postman_collection.json (--environment) is not a Postman environment file: it has no "values" array. Export it from Postman with "Export" on the environment.'],
    ['environment given as collection', ['run', 'env.json'], 3,
      'env.json is not a Postman collection: it is a Postman environment or globals file. Export it from Postman with "Export" > "Collection v2.1" and try again.'],
  ];
  it.each(cases)('%s', async (_name, args, code, message) => {
    await fs.writeFile(path.join(dir, 'env.json'), JSON.stringify({ name: 'e', values: [], _postman_variable_scope: 'environment' }));
    const result = await spawnCli(args, { cwd: dir });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`[postman-oauth-kit] ${message.replace('__DIR__', dir)}\n`);
  });
});
