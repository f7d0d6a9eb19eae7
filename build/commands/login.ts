import { spawn } from 'node:child_process';
import { webcrypto } from 'node:crypto';
import path from 'node:path';
import { buildAuthorizeUrl } from '../../scripts-src/authorize-url.ts';
import type { CallbackResult } from '../../scripts-src/callback-url.ts';
import { configFingerprint } from '../../scripts-src/config-fingerprint.ts';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import { buildAuthorizationCodeRequest } from '../../scripts-src/grants/authorization-code.ts';
import type { TokenClient } from '../../scripts-src/grants/client-auth.ts';
import { implicitTokenSet } from '../../scripts-src/grants/implicit.ts';
import { buildPasswordRequest } from '../../scripts-src/grants/password.ts';
import type { TokenHttpRequest } from '../../scripts-src/http.ts';
import { createCodeVerifier, createState, s256Challenge, type CryptoHost } from '../../scripts-src/pkce.ts';
import { processTokenResponse, type TokenSet } from '../../scripts-src/token-response.ts';
import { HELP_OPTION, parseCommandArgs, renderHelp, stringOption, type CommandSpec } from '../args.ts';
import { readEnvironmentFile, updateEnvironmentFile } from '../environment-update.ts';
import { CliError, EXIT } from '../errors.ts';
import { validateTokenUrl } from '../inject.ts';
import type { CommandIO } from '../io.ts';
import { parseJsonText, readTextFile } from '../json-file.ts';
import { secretSetting, setting, variablesOf, type VariableMap } from '../login-settings.ts';
import { startLoopbackListener } from '../loopback-listener.ts';
import { askHidden } from '../prompt.ts';

const LOGIN_GRANTS = ['authorization_code', 'pkce', 'implicit', 'password'] as const;
type LoginGrant = (typeof LOGIN_GRANTS)[number];
export const DEFAULT_LOGIN_PORT = 8765;

export const loginSpec: CommandSpec = {
  name: 'login',
  summary:
    'Signs a user in for the collection\'s user-context grant (authorization_code, pkce, implicit, password) and writes the tokens into a Postman environment file for newman run -e. Redirect grants use a loopback listener, http://127.0.0.1:<port>/callback (RFC 8252).',
  usage: 'postman-oauth-kit login <augmented-collection.json> -e <environment.json> [options]',
  options: [
    { name: 'environment', short: 'e', type: 'string', value: '<file>', description: 'Environment file to write the tokens into: created if missing, otherwise only its oauth_ keys change. Written owner-only (0600).' },
    { name: 'grant', type: 'string', value: '<grant>', description: 'authorization_code, pkce, implicit or password (default: the collection\'s oauth_grant); written to the environment.' },
    { name: 'port', short: 'p', type: 'string', value: '<n>', description: `Port of the loopback redirect listener (default ${DEFAULT_LOGIN_PORT}); register http://127.0.0.1:<n>/callback for the client.` },
    { name: 'no-open', type: 'boolean', description: 'Do not open the system browser; only print the authorization URL.' },
    { name: 'manual', type: 'boolean', description: 'No listener: store the sign-in (state, PKCE verifier) in the environment and print the URL; after signing in, pass the address you land on as oauth_callback_url (newman --env-var) and the collection completes it.' },
    { name: 'token-url', type: 'string', value: '<url>', description: 'Override oauth_token_url (written to the environment).' },
    { name: 'authorize-url', type: 'string', value: '<url>', description: 'Override oauth_authorize_url (written to the environment).' },
    { name: 'redirect-uri', type: 'string', value: '<url>', description: 'With --manual: override oauth_redirect_uri (written to the environment).' },
    { name: 'timeout', type: 'string', value: '<seconds>', description: 'How long to wait for the sign-in (default 300).' },
    { name: 'print', type: 'boolean', description: 'Also print the token values, for pasting into Postman (they are secrets: mind your terminal history).' },
    HELP_OPTION,
  ],
  details: [
    'Secrets: a {{vault:key}} setting is read from the environment variable POSTMAN_VAULT_<KEY> (key upper-cased, other characters as _),',
    'e.g. {{vault:oauth-client-secret}} from POSTMAN_VAULT_OAUTH_CLIENT_SECRET; otherwise login asks for it without echo.',
    'The environment gets oauth_token_store=environment, so the collection\'s script finds the tokens there (environment beats collection).',
    '',
    'Example:',
    '  postman-oauth-kit login genesys.oauth.json -e genesys.env.json --grant pkce',
    '  newman run genesys.oauth.json -e genesys.env.json --env-var "vault:oauth-client-id=$POSTMAN_VAULT_OAUTH_CLIENT_ID"',
  ],
};

/** Node's Web Crypto: the same secure source the app sandbox's script uses. */
const NODE_CRYPTO: CryptoHost = { webCrypto: webcrypto as unknown as CryptoHost['webCrypto'], cryptoJs: () => undefined };

interface LoginSettings {
  grant: LoginGrant;
  tokenUrl: string;
  authorizeUrl: string | undefined;
  redirectUri: string | undefined;
  clientId: string;
  clientAuth: 'basic' | 'post';
  scope: string | undefined;
  audience: string | undefined;
  usePkce: boolean;
  defaultExpiresIn: number;
}

function collectionVariables(data: unknown, file: string): VariableMap {
  if (data === null || typeof data !== 'object' || !Array.isArray((data as Record<string, unknown>)['item'])) {
    throw new CliError('NOT_A_COLLECTION', `${file} is not a Postman collection (no "item" array).`, EXIT.input, { file });
  }
  return variablesOf((data as Record<string, unknown>)['variable']);
}

function openBrowser(url: string, io: CommandIO): void {
  const [command, args] =
    process.platform === 'darwin' ? ['open', [url]] : process.platform === 'win32' ? ['cmd', ['/c', 'start', '', url]] : ['xdg-open', [url]];
  try {
    const child = spawn(command as string, args as string[], { detached: true, stdio: 'ignore' });
    child.on('error', () => io.stderr(`[postman-oauth-kit] could not open a browser (${command as string}); open the URL above yourself.\n`));
    child.unref();
  } catch {
    io.stderr('[postman-oauth-kit] could not open a browser; open the URL above yourself.\n');
  }
}

async function send(request: TokenHttpRequest): Promise<TokenSet> {
  let response: Response;
  try {
    response = await fetch(request.url, { method: request.method, headers: request.headers, body: request.body });
  } catch (error) {
    const cause = (error as { cause?: { code?: string } }).cause;
    throw new CliError('TOKEN_REQUEST_FAILED', `could not reach the token endpoint ${request.url} (${cause?.code ?? String(error)}). Check oauth_token_url.`, EXIT.failed);
  }
  const headers: Record<string, string> = {};
  response.headers.forEach((value, key) => (headers[key] = value));
  try {
    return processTokenResponse({ status: response.status, headers, body: await response.text() });
  } catch (error) {
    if (error instanceof OAuthKitError) throw new CliError(error.code, error.message, EXIT.failed, error.cause);
    throw error;
  }
}

function number(option: string, value: string | undefined, fallback: number, min: number, max: number): number {
  if (value === undefined) return fallback;
  if (!/^\d+$/.test(value) || Number(value) < min || Number(value) > max) {
    throw new CliError('INVALID_OPTION_VALUE', `--${option} "${value}" must be a whole number from ${min} to ${max}.`, EXIT.usage);
  }
  return Number(value);
}

async function readSettings(map: VariableMap, io: CommandIO, ask: ((p: string) => Promise<string>) | undefined): Promise<LoginSettings> {
  const grant = setting(map, 'oauth_grant') ?? 'client_credentials';
  if (!(LOGIN_GRANTS as readonly string[]).includes(grant)) {
    throw new CliError(
      'NOT_A_USER_GRANT',
      `the collection's oauth_grant is "${grant}"; login signs in for a user grant: ${LOGIN_GRANTS.join(', ')}. Pass --grant <grant>, or set oauth_grant.`,
      EXIT.usage,
    );
  }
  const tokenUrl = setting(map, 'oauth_token_url');
  if (tokenUrl === undefined) throw new CliError('TOKEN_URL_REQUIRED', 'no token URL: set oauth_token_url or pass --token-url <url>.', EXIT.usage);
  validateTokenUrl(tokenUrl, 'oauth_token_url');
  const authorizeUrl = setting(map, 'oauth_authorize_url');
  if (grant !== 'password' && authorizeUrl === undefined) {
    throw new CliError('AUTHORIZE_URL_REQUIRED', `the ${grant} grant needs oauth_authorize_url: set it or pass --authorize-url <url>.`, EXIT.usage);
  }
  if (authorizeUrl !== undefined) validateTokenUrl(authorizeUrl, 'oauth_authorize_url');
  const clientAuth = setting(map, 'oauth_client_auth') ?? 'basic';
  if (clientAuth !== 'basic' && clientAuth !== 'post') {
    throw new CliError('INVALID_SETTING', `oauth_client_auth is "${clientAuth}"; use basic or post.`, EXIT.input);
  }
  const expires = setting(map, 'oauth_default_expires_in') ?? '3600';
  return {
    grant: grant as LoginGrant,
    tokenUrl,
    authorizeUrl,
    redirectUri: setting(map, 'oauth_redirect_uri'),
    clientId: await secretSetting(map, 'oauth_client_id', '{{vault:oauth-client-id}}', io.env, ask),
    clientAuth,
    scope: setting(map, 'oauth_scope'),
    audience: setting(map, 'oauth_audience'),
    usePkce: grant === 'pkce' || setting(map, 'oauth_use_pkce') === 'true',
    defaultExpiresIn: /^\d+$/.test(expires) && Number(expires) > 0 ? Number(expires) : 3600,
  };
}

async function client(s: LoginSettings, map: VariableMap, io: CommandIO, ask: ((p: string) => Promise<string>) | undefined): Promise<TokenClient> {
  const secret =
    s.grant === 'pkce' || s.grant === 'implicit'
      ? undefined
      : await secretSetting(map, 'oauth_client_secret', '{{vault:oauth-client-secret}}', io.env, ask);
  return { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: secret, clientAuth: s.clientAuth };
}

/** `postman-oauth-kit login`. */
export async function loginCommand(argv: string[], io: CommandIO): Promise<number> {
  const { values, positionals } = parseCommandArgs(loginSpec, argv);
  if (values['help']) {
    io.stdout(renderHelp(loginSpec));
    return EXIT.ok;
  }
  if (positionals.length !== 1) {
    throw new CliError('INPUT_REQUIRED', 'give one augmented collection: postman-oauth-kit login <collection.json> -e <environment.json>', EXIT.usage);
  }
  const envOption = stringOption(values, 'environment');
  if (envOption === undefined) {
    throw new CliError('ENVIRONMENT_REQUIRED', 'give the environment file to write the tokens into: -e <environment.json> (created if missing).', EXIT.usage);
  }
  const collectionFile = positionals[0] as string;
  const envFile = path.resolve(io.cwd, envOption);
  const grantOption = stringOption(values, 'grant');
  if (grantOption !== undefined && !(LOGIN_GRANTS as readonly string[]).includes(grantOption)) {
    throw new CliError('UNKNOWN_GRANT', `--grant "${grantOption}" is not a user grant; use one of: ${LOGIN_GRANTS.join(', ')}.`, EXIT.usage);
  }
  const port = number('port', stringOption(values, 'port'), DEFAULT_LOGIN_PORT, 0, 65535);
  const timeoutMs = number('timeout', stringOption(values, 'timeout'), 300, 1, 86400) * 1000;
  const manual = values['manual'] === true;

  // The settings as newman will see them: collection < environment file < flags.
  const collection = parseJsonText(await readTextFile(path.resolve(io.cwd, collectionFile)), collectionFile);
  const map = collectionVariables(collection, collectionFile);
  const { data: envData } = await readEnvironmentFile(envFile);
  for (const [key, value] of variablesOf(envData['values'])) map.set(key, value);
  const overrides: Record<string, string> = {};
  for (const [option, key] of [
    ['grant', 'oauth_grant'],
    ['token-url', 'oauth_token_url'],
    ['authorize-url', 'oauth_authorize_url'],
    ['redirect-uri', 'oauth_redirect_uri'],
  ] as const) {
    const value = stringOption(values, option);
    if (value !== undefined) {
      validateTokenUrl(option === 'grant' ? 'http://x' : value, `--${option}`);
      overrides[key] = value;
      map.set(key, value);
    }
  }
  const ask = process.stdin.isTTY ? askHidden : undefined;
  const s = await readSettings(map, io, ask);
  const fingerprint = configFingerprint(s, s.clientId);
  const base = { ...overrides, oauth_token_store: 'environment', oauth_callback_url: '' };

  if (s.grant !== 'password' && manual) {
    const state = createState(NODE_CRYPTO);
    const verifier = s.usePkce && s.grant !== 'implicit' ? createCodeVerifier(NODE_CRYPTO) : undefined;
    const redirectUri = s.redirectUri ?? 'https://oauth.pstmn.io/v1/callback';
    const url = buildAuthorizeUrl({
      authorizeUrl: s.authorizeUrl as string,
      responseType: s.grant === 'implicit' ? 'token' : 'code',
      clientId: s.clientId,
      redirectUri,
      state,
      scope: s.scope,
      audience: s.audience,
      codeChallenge: verifier ? await s256Challenge(verifier, NODE_CRYPTO) : undefined,
    });
    await updateEnvironmentFile(envFile, { ...base, oauth_pending_state: state, oauth_pending_verifier: verifier ?? '' });
    io.stdout(
      `Open this URL in a browser to sign in:\n  ${url}\n` +
        `wrote the sign-in (state${verifier ? ', PKCE verifier' : ''}) to ${envOption} (mode 0600).\n` +
        `After signing in, copy the address the browser lands on (${redirectUri}...) and run:\n` +
        `  newman run ${collectionFile} -e ${envOption} --export-environment ${envOption} --env-var "oauth_callback_url=<that address>"\n`,
    );
    return EXIT.ok;
  }

  const obtainedAt = Date.now();
  let tokens: TokenSet;
  if (s.grant === 'password') {
    const c = await client(s, map, io, ask);
    const username = await secretSetting(map, 'oauth_username', '{{vault:oauth-username}}', io.env, ask);
    const password = await secretSetting(map, 'oauth_password', '{{vault:oauth-password}}', io.env, ask);
    tokens = await send(buildPasswordRequest(c, username, password, s.scope, s.audience));
  } else {
    const state = createState(NODE_CRYPTO);
    const verifier = s.usePkce && s.grant !== 'implicit' ? createCodeVerifier(NODE_CRYPTO) : undefined;
    const responseType = s.grant === 'implicit' ? 'token' : 'code';
    const c = s.grant === 'authorization_code' ? await client(s, map, io, ask) : undefined;
    const listener = await startLoopbackListener({ port, responseType, expectedState: state, timeoutMs });
    let result: CallbackResult;
    try {
      const url = buildAuthorizeUrl({
        authorizeUrl: s.authorizeUrl as string,
        responseType,
        clientId: s.clientId,
        redirectUri: listener.redirectUri,
        state,
        scope: s.scope,
        audience: s.audience,
        codeChallenge: verifier ? await s256Challenge(verifier, NODE_CRYPTO) : undefined,
      });
      io.stdout(`Open this URL in a browser to sign in:\n  ${url}\nwaiting for the redirect to ${listener.redirectUri} ...\n`);
      if (values['no-open'] !== true) openBrowser(url, io);
      result = await listener.result;
    } finally {
      await listener.close();
    }
    if (result.kind === 'token') {
      try {
        tokens = implicitTokenSet(result);
      } catch (error) {
        throw error instanceof OAuthKitError ? new CliError(error.code, error.message, EXIT.failed) : error;
      }
    } else {
      const tokenClient = c ?? { tokenUrl: s.tokenUrl, clientId: s.clientId, clientSecret: undefined, clientAuth: s.clientAuth };
      tokens = await send(buildAuthorizationCodeRequest(tokenClient, result.code, listener.redirectUri, verifier));
    }
  }

  const expiresAt = obtainedAt + (tokens.expiresIn ?? s.defaultExpiresIn) * 1000;
  const written = {
    ...base,
    oauth_access_token: tokens.accessToken,
    oauth_token_obtained_at: new Date(obtainedAt).toISOString(),
    oauth_token_expires_at: new Date(expiresAt).toISOString(),
    oauth_token_fingerprint: fingerprint,
    oauth_refresh_token: tokens.refreshToken ?? '',
    oauth_pending_state: '',
    oauth_pending_verifier: '',
  };
  await updateEnvironmentFile(envFile, written);
  io.stdout(
    `signed in (${s.grant}): wrote an access token (expires ${written.oauth_token_expires_at})${tokens.refreshToken ? ' and a refresh token' : ''} to ${envOption} (mode 0600).\n` +
      `Run: newman run ${collectionFile} -e ${envOption} --export-environment ${envOption}\n`,
  );
  if (values['print'] === true) {
    io.stdout(
      'Values for Postman (set them as current values of the environment, with oauth_token_store = environment):\n' +
        Object.entries(written)
          .filter(([key]) => key.startsWith('oauth_token') || key === 'oauth_access_token' || key === 'oauth_refresh_token')
          .map(([key, value]) => `  ${key} = ${value}\n`)
          .join(''),
    );
  }
  return EXIT.ok;
}
