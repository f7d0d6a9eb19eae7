/**
 * Leak test: every success and failure path of every grant (today: client
 * credentials, basic and post) runs with recognisable secret values through the
 * builder and newman's own CLI against the loopback mock; then every artifact is
 * scanned: builder output and messages, newman stdout/stderr, exported
 * environment and collection, the JSON report after `redactNewmanReport`, and the
 * mock's request log. Zero hits allowed.
 * User grants (authorization_code, pkce, implicit, password): USER_RUNS below,
 * through `postman-oauth-kit run`. New grants: add their runs there.
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
import { printedUrl, submitSignIn } from '../helpers/user-grants.ts';

const CLIENT_ID = 'leak-client-id';
const SECRET = 'LeakCanary-Secret-7f3a9b2c';
const WRONG_SECRET = 'LeakCanary-Wrong-1c2d3e4f';
const ECHOED_REFRESH = 'LeakCanary-Refresh-9z8y7x6w';

let mock: RunningMock;
let state: MockState;
let dir: string;
let builtCollection: string;
const builderOutput: string[] = [];

type Env = { values: Array<{ key: string; value: unknown }> };
/** Where a run keeps its tokens when oauth_token_store is environment. */
const TOKEN_STORE_KEYS = ['oauth_access_token', 'oauth_refresh_token'];

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

/*
 * User grants. Redirect grants start in newman the way a pipeline does
 * (newman has no secure random source): `login --manual` writes the sign-in's
 * state and verifier into an environment file, the user signs in on the mock's
 * form, and the runner gets the address the browser landed on as
 * `oauth_callback_url`. Every run goes through `postman-oauth-kit run` (secrets
 * from POSTMAN_VAULT_*, sanitised reports). By design the environment is the
 * token store of these runs (`login` sets oauth_token_store=environment and the
 * runner keeps a cached token in an exported environment for reuse), so the
 * exported environment may hold the CURRENT access and refresh token under
 * oauth_access_token / oauth_refresh_token and nothing else secret anywhere.
 */
const USER = { id: 'leak-user-id', username: 'leak.user@example.com', password: 'LeakCanary-Password-5e6f7a8b' };
const WRONG_PASSWORD = 'LeakCanary-WrongPassword-2b3c';
const FORGED_VERIFIER = 'LeakCanaryVerifier-0123456789abcdefghijklmn';
const USER_CLIENT_SECRETS = { code: 'LeakCanary-CodeSecret-4d5e6f7a', password: 'LeakCanary-PwdClientSecret-8a9b' };
type UserGrant = 'authorization_code' | 'pkce' | 'implicit' | 'password';
const USER_CLIENT: Record<UserGrant, { id: string; secret: string | undefined }> = {
  authorization_code: { id: 'leak-code-client', secret: USER_CLIENT_SECRETS.code },
  pkce: { id: 'leak-pkce-client', secret: undefined },
  implicit: { id: 'leak-implicit-client', secret: undefined },
  password: { id: 'leak-password-client', secret: USER_CLIENT_SECRETS.password },
};
const userCollections = new Map<UserGrant, string>();

function addUserGrantClients(target: MockState): void {
  target.users.set(USER.username, USER);
  const redirectUris = ['https://oauth.pstmn.io/v1/callback'];
  target.addClient({ ...USER_CLIENT.authorization_code, name: 'code', grants: ['authorization_code', 'refresh_token'], refreshTokens: 'static', redirectUris, tokenLifetimeSeconds: 3600 });
  target.addClient({ ...USER_CLIENT.pkce, name: 'pkce', grants: ['authorization_code', 'refresh_token'], refreshTokens: 'rotating', redirectUris, tokenLifetimeSeconds: 3600 });
  target.addClient({ ...USER_CLIENT.implicit, name: 'implicit', grants: ['implicit'], refreshTokens: 'none', redirectUris, tokenLifetimeSeconds: 3600 });
  target.addClient({ ...USER_CLIENT.password, name: 'password', grants: ['password', 'refresh_token'], refreshTokens: 'static', redirectUris, tokenLifetimeSeconds: 3600 });
}

interface UserRun {
  name: string;
  grant: UserGrant;
  password?: string;
  /** What the second run does: `refresh` after expiry, `invalid_grant` after the refresh token was revoked. */
  then?: 'refresh' | 'invalid_grant' | 'expire';
  /** Replaces the `state` of the pasted redirect (an old or foreign sign-in). */
  forgeState?: boolean;
  /** Expected exit code of each run. */
  codes: number[];
  /** The password grant's token store (default: environment, as a pipeline reusing tokens would). */
  store?: 'collection';
  /** Client secret in the vault instead of the registered one. */
  clientSecret?: string;
  /** Replaces the PKCE verifier `login --manual` stored (a valid shape, not this sign-in's). */
  verifier?: string;
  /**
   * The token endpoint echoes every credential it knows in its error: at the
   * first call (`first`) or when the second run refreshes (`refresh`).
   */
  echo?: 'first' | 'refresh';
}

const USER_RUNS: UserRun[] = [
  { name: 'authorization_code: pasted oauth_callback_url, then the refresh path', grant: 'authorization_code', then: 'refresh', codes: [0, 0] },
  { name: 'authorization_code: invalid_grant on refresh', grant: 'authorization_code', then: 'invalid_grant', codes: [0, 1] },
  { name: 'authorization_code: wrong client secret at the code exchange', grant: 'authorization_code', clientSecret: WRONG_SECRET, codes: [1] },
  {
    name: 'authorization_code: the server echoes the refresh token and client secret when refusing a refresh',
    grant: 'authorization_code',
    then: 'refresh',
    echo: 'refresh',
    codes: [0, 1],
  },
  { name: 'authorization_code: a pasted redirect with a forged state', grant: 'authorization_code', forgeState: true, codes: [1] },
  { name: 'pkce: wrong code verifier', grant: 'pkce', verifier: FORGED_VERIFIER, codes: [1] },
  { name: 'pkce: pasted oauth_callback_url, then the (rotating) refresh path', grant: 'pkce', then: 'refresh', codes: [0, 0] },
  { name: 'implicit: pasted #fragment', grant: 'implicit', codes: [0] },
  { name: 'implicit: the token expires and there is no refresh', grant: 'implicit', then: 'expire', codes: [0, 1] },
  { name: 'password: success, then the refresh path', grant: 'password', password: USER.password, then: 'refresh', codes: [0, 0] },
  { name: 'password: default (collection) token store', grant: 'password', password: USER.password, store: 'collection', codes: [0] },
  { name: 'password: the server echoes the password and client secret in its error', grant: 'password', password: USER.password, echo: 'first', codes: [1] },
  { name: 'password: wrong password', grant: 'password', password: WRONG_PASSWORD, codes: [1] },
];

/**
 * Token lifetime (s) of the runs that wait for expiry. The implicit token has no
 * refresh, so its lifetime must outlast the whole first run even on a loaded machine.
 */
const SHORT_LIFETIME = 2;
const IMPLICIT_LIFETIME = 10;

/** Waits until the token cached in an exported environment has expired (plus slack). */
async function untilExpired(environmentFile: string): Promise<void> {
  const env = JSON.parse(readFileSync(environmentFile, 'utf8')) as Env;
  const expiresAt = Date.parse(String(env.values.find((v) => v.key === 'oauth_token_expires_at')?.value ?? ''));
  if (Number.isFinite(expiresAt)) await new Promise((resolve) => setTimeout(resolve, Math.max(0, expiresAt - Date.now()) + 300));
}

/** `postman-oauth-kit run` (secrets from POSTMAN_VAULT_*), or newman's own CLI (secrets as --global-var "vault:..."). */
const VIA = ['runner', 'newman'] as const;

/** POSTMAN_VAULT_OAUTH_CLIENT_ID -> oauth-client-id */
function vaultKey(envName: string): string {
  return envName.replace(/^POSTMAN_VAULT_/, '').toLowerCase().replace(/_/g, '-');
}

function spawnNewman(args: string[]) {
  return spawnNode([path.join(ROOT, 'node_modules', 'newman', 'bin', 'newman.js'), 'run', ...args], {});
}

function runner(args: string[], env: Record<string, string>) {
  return spawnNode([path.join(ROOT, 'dist', 'cli.js'), 'run', ...args], env);
}

function spawnNode(args: string[], env: Record<string, string>) {
  return new Promise<{ code: number | null; stdout: string; stderr: string }>((resolve) => {
    const child = spawn(process.execPath, args, {
      stdio: ['ignore', 'pipe', 'pipe'],
      cwd: dir,
      env: { PATH: process.env['PATH'] ?? '', ...env },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (d: Buffer) => (stdout += d.toString()));
    child.stderr.on('data', (d: Buffer) => (stderr += d.toString()));
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('no secret in any artifact: user grants (postman-oauth-kit run)', () => {
  beforeAll(async () => {
    addUserGrantClients(state);
    for (const grant of Object.keys(USER_CLIENT) as UserGrant[]) {
      const file = path.join(dir, `${grant}.oauth.postman_collection.json`);
      const built = await cli([
        'inject',
        path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'),
        '-o',
        file,
        '--grant',
        grant,
        '--token-url',
        mock.tokenUrl,
        '--authorize-url',
        `${mock.origin}/oauth/authorize`,
      ]);
      expect(built.code).toBe(0);
      builderOutput.push(built.out, readFileSync(file, 'utf8'));
      userCollections.set(grant, file);
    }
  });

  // A loop, not it.each: vitest's $name formatting truncates long titles.
  for (const [run, via] of USER_RUNS.flatMap((r) => VIA.map((v) => [r, v] as const))) it(`${run.name} (via ${via})`, async () => {
    const client = USER_CLIENT[run.grant];
    const lifetime = !run.then ? 3600 : run.grant === 'implicit' ? IMPLICIT_LIFETIME : SHORT_LIFETIME;
    for (const c of Object.values(USER_CLIENT)) state.clients.get(c.id)!.tokenLifetimeSeconds = lifetime;
    const collection = userCollections.get(run.grant)!;
    const caseDir = mkdtempSync(path.join(dir, 'user-'));
    const vaultEnv: Record<string, string> = {
      POSTMAN_VAULT_OAUTH_CLIENT_ID: client.id,
      ...(client.secret ? { POSTMAN_VAULT_OAUTH_CLIENT_SECRET: run.clientSecret ?? client.secret } : {}),
      ...(run.grant === 'password' ? { POSTMAN_VAULT_OAUTH_USERNAME: USER.username, POSTMAN_VAULT_OAUTH_PASSWORD: run.password ?? '' } : {}),
    };
    const artifacts: Record<string, string> = {};
    const secrets: string[] = [...Object.values(USER_CLIENT_SECRETS), USER.password, WRONG_PASSWORD, WRONG_SECRET, FORGED_VERIFIER];
    const echo = (values: string[]) =>
      state.faults.set({
        token: [{ type: 'status', status: 400, body: { error: 'invalid_grant', error_description: values.map((v) => `value=${v}`).join(' ') }, times: 4 }],
      });
    if (run.echo === 'first') echo([client.secret ?? '', USER.password]);

    let environment: string | undefined;
    const first: string[] = [];
    if (run.grant !== 'password') {
      environment = path.join(caseDir, 'signin.postman_environment.json');
      let out = '';
      const started = await runCli(['login', collection, '-e', environment, '--manual'], {
        stdout: (t) => (out += t),
        stderr: (t) => (out += t),
        cwd: caseDir,
        env: { POSTMAN_VAULT_OAUTH_CLIENT_ID: client.id },
      });
      expect(started).toBe(0);
      artifacts['login --manual output'] = out;
      const signIn = JSON.parse(readFileSync(environment, 'utf8')) as Env;
      const verifier = signIn.values.find((v) => v.key === 'oauth_pending_verifier');
      if (run.grant === 'pkce') {
        expect(verifier?.value).toMatch(/^[A-Za-z0-9_-]{43}$/);
        secrets.push(verifier?.value as string);
        if (run.verifier) {
          expect(run.verifier).toMatch(/^[A-Za-z0-9_-]{43}$/);
          verifier!.value = run.verifier;
          writeFileSync(environment, JSON.stringify(signIn));
        }
      }
      const signedIn = await submitSignIn(printedUrl(out), { username: USER.username, password: USER.password });
      const redirect = run.forgeState ? signedIn.replace(/state=[^&]+/, 'state=forged-state') : signedIn;
      expect(redirect).not.toBe(run.forgeState ? signedIn : '');
      expect(redirect).toMatch(run.grant === 'implicit' ? /#access_token=/ : /\?code=/);
      first.push('--env-var', `oauth_callback_url=${redirect}`);
    } else if (run.store !== 'collection') {
      // The password grant keeps its tokens in the environment, as a pipeline reusing them would.
      first.push('--env-var', 'oauth_token_store=environment');
    }

    const results: Array<{ code: number | null }> = [];
    for (let step = 0; step < run.codes.length; step++) {
      if (step > 0) {
        if (run.then === 'invalid_grant') expect(state.revokeRefreshTokens()).toBe(1);
        // What the refresh request carried: the refresh token and the client secret.
        if (run.echo === 'refresh') echo([...state.refreshTokens.keys(), client.secret ?? '']);
        await untilExpired(environment as string); // let the short-lived token expire
      }
      const files = {
        report: path.join(caseDir, `report-${step}.json`),
        env: path.join(caseDir, `exported-${step}.postman_environment.json`),
        collection: path.join(caseDir, `exported-${step}.postman_collection.json`),
      };
      const common = [
        collection,
        ...(environment ? ['-e', environment] : []),
        ...(step === 0 ? first : run.grant === 'password' ? ['--env-var', 'oauth_token_store=environment'] : []),
        '--env-var',
        `baseUrl=${mock.origin}`,
        '-r',
        'cli,json',
        '--reporter-json-export',
        files.report,
        '--export-environment',
        files.env,
      ];
      const result =
        via === 'runner'
          ? await runner(common, vaultEnv)
          : await spawnNewman([
              ...common,
              '--export-collection',
              files.collection,
              ...Object.entries(vaultEnv).flatMap(([name, value]) => ['--global-var', `vault:${vaultKey(name)}=${value}`]),
            ]);
      results.push({ code: result.code });
      artifacts[`run ${step + 1} stdout`] = result.stdout;
      artifacts[`run ${step + 1} stderr`] = result.stderr;
      const rawReport = readFileSync(files.report, 'utf8');
      if (via === 'runner') {
        artifacts[`run ${step + 1} JSON report (runner-sanitised)`] = withBuffers(rawReport);
      } else {
        const userSecrets = [client.secret ? (run.clientSecret ?? client.secret) : undefined, run.password].filter((v): v is string => v !== undefined);
        // newman's own report holds the --global-var secrets: the scanner sees them before redaction.
        if (userSecrets.length > 0) expect(hits({ raw: withBuffers(rawReport) }, userSecrets).length).toBeGreaterThan(0);
        artifacts[`run ${step + 1} JSON report (redactNewmanReport)`] = withBuffers(JSON.stringify(redactNewmanReport(JSON.parse(rawReport) as unknown, userSecrets)));
        artifacts[`run ${step + 1} exported collection`] = readFileSync(files.collection, 'utf8');
      }
      // The next run starts from what this one exported, as a pipeline would.
      const exported = JSON.parse(readFileSync(files.env, 'utf8')) as Env;
      const store = Object.fromEntries(exported.values.filter((v) => TOKEN_STORE_KEYS.includes(v.key)).map((v) => [v.key, v.value]));
      artifacts[`run ${step + 1} exported environment (token store aside)`] = JSON.stringify({
        ...exported,
        values: exported.values.filter((v) => !TOKEN_STORE_KEYS.includes(v.key)),
      });
      artifacts[`run ${step + 1} token store entries`] = JSON.stringify(store);
      environment = files.env;
    }
    expect(results.map((r) => r.code)).toEqual(run.codes);
    const calls = state.stats().tokenCallsByGrant as Record<string, number>;
    const signInGrant = run.grant === 'password' ? 'password' : 'authorization_code';
    // A refused request is not repeated within a run (an injected fault is logged without its grant).
    expect(calls[signInGrant]).toBe(run.grant === 'implicit' || run.echo === 'first' || run.forgeState ? undefined : 1);
    // A slow machine may refresh within a run too: at least the one the second run needs.
    if ((run.then === 'refresh' && !run.echo) || run.then === 'invalid_grant') expect(calls['refresh_token']).toBeGreaterThanOrEqual(1);
    if (run.echo) expect(state.faults.applied).toHaveLength(1);
    artifacts['mock log'] = JSON.stringify(state.log);

    const tokens = [...state.tokens.values()].map((t) => t.value);
    const refreshTokens = [...state.refreshTokens.values()];
    const codes = [...state.codes.keys()];
    if (run.codes[0] === 0) expect(tokens.length).toBeGreaterThan(0);
    if (run.grant === 'authorization_code' || run.grant === 'pkce') expect(codes).toHaveLength(1);
    if (run.grant === 'implicit') expect(codes).toEqual([]);
    secrets.push(...tokens, ...refreshTokens.map((r) => r.value), ...codes);

    // The token store may hold only the current tokens: the last access token and a live refresh token.
    const lastStore = JSON.parse(artifacts[`run ${run.codes.length} token store entries`] as string) as Record<string, unknown>;
    const liveRefresh = refreshTokens.filter((r) => !r.revoked).map((r) => r.value);
    const lastCode = run.codes[run.codes.length - 1];
    expect(lastStore['oauth_access_token'] ?? '').toBe(lastCode === 0 && run.store !== 'collection' ? tokens[tokens.length - 1] : '');
    expect([...liveRefresh, ''].includes(String(lastStore['oauth_refresh_token'] ?? ''))).toBe(true);
    const storeArtifacts = Object.keys(artifacts).filter((k) => k.endsWith('token store entries'));
    for (const key of storeArtifacts) delete artifacts[key];

    // The scanner finds what is there (a check that can fail): the runs did send these secrets.
    expect(hits({ 'token store': JSON.stringify(lastStore) }, secrets).length).toBe(lastCode === 0 && run.store !== 'collection' ? 1 + (lastStore['oauth_refresh_token'] ? 1 : 0) : 0);
    expect(hits(artifacts, secrets)).toEqual([]);
  });
});
