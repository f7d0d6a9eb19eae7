import { CliError, EXIT } from './errors.ts';
import { GENESYS_AUTHORIZE_URL, GENESYS_TOKEN_URL, parseGenesysRegion, regionalizeApiBase } from './genesys.ts';
import { ACCESS_TOKEN_VARIABLE, SETTINGS } from './settings.ts';

/** Everything `inject` can set; `undefined` means "keep what the collection has, or the default". */
export interface InjectOptions {
  grant?: string | undefined;
  tokenUrl?: string | undefined;
  authorizeUrl?: string | undefined;
  redirectUri?: string | undefined;
  clientId?: string | undefined;
  clientSecret?: string | undefined;
  clientAuth?: string | undefined;
  scope?: string | undefined;
  audience?: string | undefined;
  refreshMargin?: string | undefined;
  tokenStore?: string | undefined;
  retryAttempts?: string | undefined;
  provider?: string | undefined;
  region?: string | undefined;
  /** Replace a collection-level auth of another type (basic, apikey, ...). */
  replaceAuth?: boolean | undefined;
  /** Accept a literal (non-reference) client secret, which then lands in the output file. */
  allowLiteralSecret?: boolean | undefined;
  /** Keep folder- and request-level `oauth2` auth instead of making them inherit the collection's token. */
  keepRequestAuth?: boolean | undefined;
  /** Embed the client-credentials-only script (`dist/scripts/client-credentials.js`). */
  slim?: boolean | undefined;
  /** Leave out the post-response script that re-runs a request answered 401 (one script less per request). */
  skip401Recovery?: boolean | undefined;
}

export interface Bundle {
  /** The pre-request script, as Rollup emitted it. */
  code: string;
  version: string;
  /**
   * The post-response script (401 recovery), installed in the collection's
   * `test` event; when absent, an earlier one is left as it is.
   */
  afterResponse?: string | undefined;
}

export const GRANT_TYPES = ['client_credentials', 'authorization_code', 'pkce', 'implicit', 'password'] as const;
/** Grants that send the browser to the authorization endpoint and so need its URL. */
export const REDIRECT_GRANTS: readonly string[] = ['authorization_code', 'pkce', 'implicit'];
export const BEGIN_MARKER = '// >>> postman-oauth-kit';
export const END_MARKER = '// <<< postman-oauth-kit';

type Json = Record<string, unknown>;
type SchemaVersion = 'v2.0.0' | 'v2.1.0';

function isObject(value: unknown): value is Json {
  return value !== null && typeof value === 'object' && !Array.isArray(value);
}

function notACollection(file: string, why: string): CliError {
  return new CliError(
    'NOT_A_COLLECTION',
    `${file} is not a Postman collection: ${why}. Export it from Postman with "Export" > "Collection v2.1" and try again.`,
    EXIT.input,
    { file },
  );
}

/** Checks that `data` is a collection of format v2.0 or v2.1 and returns its version. */
export function collectionVersion(data: unknown, file: string): SchemaVersion {
  if (Array.isArray(data)) throw notACollection(file, 'it is a JSON array');
  if (!isObject(data)) throw notACollection(file, `it is a JSON ${data === null ? 'null' : typeof data}`);
  if (data['_postman_variable_scope'] !== undefined || (Array.isArray(data['values']) && !data['info'])) {
    throw notACollection(file, 'it is a Postman environment or globals file');
  }
  if (Array.isArray(data['requests']) && !isObject(data['info'])) {
    throw new CliError(
      'COLLECTION_V1',
      `${file} is a collection in the old v1 format. Re-export it from Postman as "Collection v2.1", or convert it with: npx postman-collection-transformer convert -i ${file} -o converted.json -j 1.0.0 -p 2.1.0`,
      EXIT.input,
      { file },
    );
  }
  const info = data['info'];
  if (!isObject(info)) throw notACollection(file, 'it has no "info" object');
  if (!Array.isArray(data['item'])) throw notACollection(file, 'it has no "item" array');
  const schema = typeof info['schema'] === 'string' ? info['schema'] : '';
  if (schema === '') return 'v2.1.0';
  const match = /\/collection\/(v\d+\.\d+\.\d+)\//.exec(schema);
  if (match && (match[1] === 'v2.0.0' || match[1] === 'v2.1.0')) return match[1];
  throw new CliError(
    'UNSUPPORTED_COLLECTION_VERSION',
    `${file} declares the collection schema "${schema}"; only v2.0.0 and v2.1.0 are supported. Re-export it as "Collection v2.1".`,
    EXIT.input,
    { file, schema },
  );
}

/** A token URL must be an absolute http(s) URL, possibly with `{{variables}}`, or one variable. */
export function validateTokenUrl(value: string, option = '--token-url'): string {
  const trimmed = value.trim();
  const probe = trimmed.replace(/\{\{[^{}]+\}\}/g, 'x');
  if (/^\{\{[^{}]+\}\}$/.test(trimmed) || /^https?:\/\/[^\s/?#]+(?:[/?#]\S*)?$/i.test(probe)) return trimmed;
  throw new CliError(
    'INVALID_TOKEN_URL',
    `${option} "${value}" is not an absolute http(s) URL or a {{variable}}. Example: https://login.mypurecloud.com/oauth/token`,
    EXIT.usage,
    { value },
  );
}

function validateChoice(option: string, value: string | undefined, choices: readonly string[]): void {
  if (value !== undefined && !choices.includes(value)) {
    throw new CliError('INVALID_OPTION_VALUE', `${option} "${value}" is not valid; use one of: ${choices.join(', ')}.`, EXIT.usage, {
      option,
      value,
    });
  }
}

/** Validates option values that do not depend on the collection. */
export function validateInjectOptions(options: InjectOptions): void {
  if (options.grant !== undefined && !(GRANT_TYPES as readonly string[]).includes(options.grant)) {
    throw new CliError(
      'UNKNOWN_GRANT',
      `--grant "${options.grant}" is not supported; use one of: ${GRANT_TYPES.join(', ')}.`,
      EXIT.usage,
      { grant: options.grant },
    );
  }
  validateChoice('--client-auth', options.clientAuth, ['basic', 'post']);
  validateChoice('--token-store', options.tokenStore, ['collection', 'environment']);
  validateChoice('--provider', options.provider, ['genesys']);
  if (options.refreshMargin !== undefined && !/^\d+$/.test(options.refreshMargin)) {
    throw new CliError(
      'INVALID_OPTION_VALUE',
      `--refresh-margin "${options.refreshMargin}" must be a whole number of seconds, e.g. 60.`,
      EXIT.usage,
    );
  }
  if (options.retryAttempts !== undefined && !/^(?:[1-9]|10)$/.test(options.retryAttempts)) {
    throw new CliError('INVALID_OPTION_VALUE', `--retry-attempts "${options.retryAttempts}" must be a whole number from 1 to 10.`, EXIT.usage);
  }
  if (options.tokenUrl !== undefined) validateTokenUrl(options.tokenUrl);
  if (options.authorizeUrl !== undefined) validateTokenUrl(options.authorizeUrl, '--authorize-url');
  if (options.redirectUri !== undefined) validateTokenUrl(options.redirectUri, '--redirect-uri');
  if (
    options.clientSecret !== undefined &&
    !/^\{\{[^{}]+\}\}$/.test(options.clientSecret.trim()) &&
    !options.allowLiteralSecret
  ) {
    throw new CliError(
      'LITERAL_SECRET',
      '--client-secret was given a literal value, which would be written into the output collection. Use a vault reference such as --client-secret "{{vault:oauth-client-secret}}" and store the secret in Postman Vault (newman: --env-var "vault:oauth-client-secret=..."), or pass --allow-literal-secret if you really want it in the file.',
      EXIT.usage,
    );
  }
  if (options.region !== undefined && options.provider !== 'genesys') {
    throw new CliError('REGION_WITHOUT_PROVIDER', '--region needs --provider genesys.', EXIT.usage);
  }
  if (options.region !== undefined) parseGenesysRegion(options.region);
}

function bearerAuth(version: SchemaVersion): Json {
  const token = `{{${ACCESS_TOKEN_VARIABLE}}}`;
  return version === 'v2.0.0'
    ? { type: 'bearer', bearer: { token } }
    : { type: 'bearer', bearer: [{ key: 'token', value: token, type: 'string' }] };
}

function setAuth(collection: Json, version: SchemaVersion, options: InjectOptions, file: string, changes: string[]): void {
  const auth = collection['auth'];
  const type = isObject(auth) && typeof auth['type'] === 'string' ? auth['type'] : undefined;
  const replaceable = type === undefined || type === 'noauth' || type === 'bearer' || type === 'oauth2';
  if (!replaceable && !options.replaceAuth) {
    throw new CliError(
      'CONFLICTING_AUTH',
      `${file} already has collection-level auth of type "${type}". The OAuth token would replace it; pass --replace-auth to do that, or remove the collection auth first.`,
      EXIT.input,
      { file, authType: type },
    );
  }
  const next = bearerAuth(version);
  if (JSON.stringify(auth) !== JSON.stringify(next)) {
    changes.push(type ? `collection auth: ${type} -> bearer {{${ACCESS_TOKEN_VARIABLE}}}` : `collection auth: bearer {{${ACCESS_TOKEN_VARIABLE}}}`);
  }
  collection['auth'] = next;
}

function scriptLines(exec: unknown): string[] {
  if (Array.isArray(exec)) return exec.map((line) => (typeof line === 'string' ? line : String(line)));
  if (typeof exec === 'string') return exec.split('\n');
  return [];
}

/** Removes our marked block from script lines; returns the user's lines. */
export function withoutOurBlock(lines: string[]): string[] {
  const out: string[] = [];
  let inside = false;
  for (const line of lines) {
    if (!inside && line.startsWith(BEGIN_MARKER)) {
      inside = true;
      continue;
    }
    if (inside) {
      if (line.startsWith(END_MARKER)) inside = false;
      continue;
    }
    out.push(line);
  }
  return out;
}

function ourBlock(code: string, version: string): string[] {
  return [
    `${BEGIN_MARKER} ${version}: generated by "postman-oauth-kit inject"; do not edit this block, re-run the builder. Settings: the oauth_ collection variables.`,
    ...code.replace(/\s+$/, '').split('\n'),
    `${END_MARKER} ${version}`,
  ];
}

const EVENT_LABEL = { prerequest: 'pre-request', test: 'post-response' } as const;

/**
 * Puts our marker-delimited block first in the collection's `listen` event,
 * keeping the user's own lines after it; an existing block is replaced, so
 * running the builder again never duplicates it.
 */
function setScript(collection: Json, listen: 'prerequest' | 'test', code: string, version: string, changes: string[]): void {
  const label = `collection ${EVENT_LABEL[listen]} script`;
  const events = Array.isArray(collection['event']) ? (collection['event'] as unknown[]) : [];
  const block = ourBlock(code, version);
  let target: Json | undefined;
  for (const event of events) {
    if (!isObject(event) || event['listen'] !== listen) continue;
    const script = isObject(event['script']) ? event['script'] : undefined;
    if (!target) {
      target = event;
      continue;
    }
    // Our block in a later event of the same kind (never written by us, but be safe): drop it there.
    if (script && scriptLines(script['exec']).some((l) => l.startsWith(BEGIN_MARKER))) {
      script['exec'] = withoutOurBlock(scriptLines(script['exec']));
    }
  }
  if (!target) {
    if (listen === 'prerequest') events.unshift({ listen, script: { type: 'text/javascript', exec: block } });
    else events.push({ listen, script: { type: 'text/javascript', exec: block } });
    collection['event'] = events;
    changes.push(`${label}: added`);
    return;
  }
  const script = isObject(target['script']) ? target['script'] : (target['script'] = { type: 'text/javascript' });
  const before = scriptLines(script['exec']);
  const users = withoutOurBlock(before);
  const hadOurs = users.length !== before.length;
  script['exec'] = [...block, ...users];
  if (script['type'] === undefined) script['type'] = 'text/javascript';
  changes.push(
    hadOurs
      ? `${label}: replaced the postman-oauth-kit block`
      : users.some((l) => l.trim() !== '')
        ? `${label}: added before the existing script, which is kept and runs after it`
        : `${label}: added`,
  );
}

/** Removes our block from every event of one kind (an event left empty is dropped). */
function removeScript(collection: Json, listen: 'prerequest' | 'test', changes: string[]): void {
  if (!Array.isArray(collection['event'])) return;
  const events = collection['event'] as unknown[];
  let removed = false;
  for (let i = events.length - 1; i >= 0; i--) {
    const event = events[i];
    if (!isObject(event) || event['listen'] !== listen || !isObject(event['script'])) continue;
    const before = scriptLines(event['script']['exec']);
    const users = withoutOurBlock(before);
    if (users.length === before.length) continue;
    removed = true;
    if (users.some((l) => l.trim() !== '')) event['script']['exec'] = users;
    else events.splice(i, 1);
  }
  if (removed) changes.push(`collection ${EVENT_LABEL[listen]} script: removed the postman-oauth-kit block`);
}

function settingValue(key: string, options: InjectOptions): string | undefined {
  switch (key) {
    case 'oauth_grant':
      return options.grant;
    case 'oauth_token_url':
      return options.tokenUrl ?? (options.provider === 'genesys' ? GENESYS_TOKEN_URL : undefined);
    case 'oauth_authorize_url':
      return options.authorizeUrl ?? (options.provider === 'genesys' ? GENESYS_AUTHORIZE_URL : undefined);
    case 'oauth_redirect_uri':
      return options.redirectUri;
    case 'oauth_client_id':
      return options.clientId;
    case 'oauth_client_secret':
      return options.clientSecret;
    case 'oauth_client_auth':
      return options.clientAuth;
    case 'oauth_scope':
      return options.scope;
    case 'oauth_audience':
      return options.audience;
    case 'oauth_refresh_margin':
      return options.refreshMargin;
    case 'oauth_token_store':
      return options.tokenStore;
    case 'oauth_retry_attempts':
      return options.retryAttempts;
    default:
      return undefined;
  }
}

function findVariables(variables: unknown[], key: string, file: string): Json | undefined {
  const found = variables.filter((v): v is Json => isObject(v) && v['key'] === key);
  if (found.length > 1) {
    throw new CliError(
      'DUPLICATE_VARIABLE',
      `${file} defines the collection variable "${key}" ${found.length} times. Keep one (Postman uses the last) and run again.`,
      EXIT.input,
      { file, key },
    );
  }
  return found[0];
}

/** Variables the pre-request script caches a token in; their values never belong in a collection file. */
const TOKEN_CACHE_VARIABLES = [
  ACCESS_TOKEN_VARIABLE,
  'oauth_token_expires_at',
  'oauth_token_obtained_at',
  'oauth_token_fingerprint',
  'oauth_refresh_token',
  'oauth_pending_state',
  'oauth_pending_verifier',
];

/**
 * The output must not carry a secret: a token cached in the input's variables is
 * cleared, and a literal client secret already in the input is refused like a
 * literal `--client-secret` (unless `--allow-literal-secret`).
 */
function guardSecrets(variables: unknown[], options: InjectOptions, file: string, changes: string[]): void {
  for (const key of TOKEN_CACHE_VARIABLES) {
    const variable = findVariables(variables, key, file);
    if (variable && typeof variable['value'] === 'string' && variable['value'] !== '') {
      variable['value'] = '';
      changes.push(`variable ${key}: cleared (a token is never stored in the collection file)`);
    }
  }
  const secret = findVariables(variables, 'oauth_client_secret', file);
  const value = secret && typeof secret['value'] === 'string' ? secret['value'].trim() : '';
  if (value !== '' && !/^\{\{[^{}]+\}\}$/.test(value) && !options.allowLiteralSecret) {
    throw new CliError(
      'LITERAL_SECRET_IN_INPUT',
      `${file} holds a literal client secret in the collection variable "oauth_client_secret", which would be copied into the output. Store the secret in Postman Vault and pass --client-secret "{{vault:oauth-client-secret}}" (newman: --global-var "vault:oauth-client-secret=..."), or pass --allow-literal-secret to keep it.`,
      EXIT.input,
      { file },
    );
  }
}

function setVariables(collection: Json, options: InjectOptions, file: string, changes: string[]): void {
  if (collection['variable'] !== undefined && !Array.isArray(collection['variable'])) {
    throw notACollection(file, '"variable" is not an array');
  }
  const variables = (collection['variable'] as unknown[] | undefined) ?? [];
  for (const spec of SETTINGS) {
    const existing = findVariables(variables, spec.key, file);
    const fromOptions = settingValue(spec.key, options);
    if (existing) {
      if (fromOptions !== undefined && existing['value'] !== fromOptions) {
        changes.push(`variable ${spec.key}: updated`);
        existing['value'] = fromOptions;
      }
      if (existing['description'] === undefined) existing['description'] = spec.description;
      continue;
    }
    variables.push({ key: spec.key, value: fromOptions ?? spec.fallback, type: 'string', description: spec.description });
    changes.push(`variable ${spec.key}: added`);
  }

  if (options.provider === 'genesys') {
    const environment = findVariables(variables, 'environment', file);
    if (options.region !== undefined) {
      const region = parseGenesysRegion(options.region);
      if (environment) {
        if (environment['value'] !== region) changes.push(`variable environment: ${String(environment['value'])} -> ${region}`);
        environment['value'] = region;
      } else {
        variables.push({ key: 'environment', value: region, type: 'string', description: 'Genesys Cloud region domain (login.{{environment}}, api.{{environment}}).' });
        changes.push(`variable environment: added (${region})`);
      }
    } else if (!environment) {
      throw new CliError(
        'REGION_REQUIRED',
        '--provider genesys needs --region <domain>, e.g. --region mypurecloud.ie (list: postman-oauth-kit inject --help).',
        EXIT.usage,
      );
    }
    for (const variable of variables) {
      if (!isObject(variable) || typeof variable['value'] !== 'string' || variable['key'] === 'environment') continue;
      const regional = regionalizeApiBase(variable['value']);
      if (regional && regional !== variable['value']) {
        changes.push(`variable ${String(variable['key'])}: ${variable['value']} -> ${regional}`);
        variable['value'] = regional;
      }
    }
  }

  guardSecrets(variables, options, file, changes);

  const tokenUrl = findVariables(variables, 'oauth_token_url', file);
  const tokenUrlValue = tokenUrl && typeof tokenUrl['value'] === 'string' ? tokenUrl['value'] : '';
  if (tokenUrlValue.trim() === '') {
    throw new CliError(
      'TOKEN_URL_REQUIRED',
      'no token URL: pass --token-url <url> (or --provider genesys --region <domain>).',
      EXIT.usage,
    );
  }
  validateTokenUrl(tokenUrlValue, 'the collection variable oauth_token_url');
  const grant = findVariables(variables, 'oauth_grant', file);
  const authorize = findVariables(variables, 'oauth_authorize_url', file);
  const grantValue = grant && typeof grant['value'] === 'string' ? grant['value'] : '';
  const authorizeValue = authorize && typeof authorize['value'] === 'string' ? authorize['value'] : '';
  if (REDIRECT_GRANTS.includes(grantValue) && authorizeValue.trim() === '') {
    throw new CliError(
      'AUTHORIZE_URL_REQUIRED',
      `the ${grantValue} grant needs an authorization endpoint: pass --authorize-url <url> (or --provider genesys --region <domain>).`,
      EXIT.usage,
    );
  }
  if (authorizeValue.trim() !== '') validateTokenUrl(authorizeValue, 'the collection variable oauth_authorize_url');
  collection['variable'] = variables;
}

/**
 * Folders and requests with Postman's app-only `oauth2` helper auth (as
 * openapi-to-postmanv2 generates for every Genesys operation) would never get our
 * token: newman does not run that helper. Remove that auth so they inherit the
 * collection's bearer token. Other auth types are the user's and stay.
 */
function inheritOAuth2Auth(collection: Json, changes: string[]): void {
  let converted = 0;
  const stack: unknown[] = [...((collection['item'] as unknown[]) ?? [])];
  while (stack.length) {
    const item = stack.pop();
    if (!isObject(item)) continue;
    if (isObject(item['auth']) && item['auth']['type'] === 'oauth2') {
      delete item['auth'];
      converted++;
    }
    const request = item['request'];
    if (isObject(request) && isObject(request['auth']) && request['auth']['type'] === 'oauth2') {
      delete request['auth'];
      converted++;
    }
    if (Array.isArray(item['item'])) stack.push(...(item['item'] as unknown[]));
  }
  if (converted > 0) {
    changes.push(`${converted} folder/request oauth2 auth setting${converted === 1 ? '' : 's'}: removed, so they inherit the collection token (--keep-request-auth keeps them)`);
  }
}

/**
 * Adds the token script, bearer auth and `oauth_` variables to a parsed
 * collection, editing it in place and touching nothing else. Running it on its
 * own output replaces its script block rather than adding another.
 * Returns a description of each change.
 */
export function injectIntoCollection(data: unknown, bundle: Bundle, options: InjectOptions, file: string): string[] {
  validateInjectOptions(options);
  const version = collectionVersion(data, file);
  const collection = data as Json;
  const changes: string[] = [];
  setVariables(collection, options, file, changes);
  setAuth(collection, version, options, file, changes);
  if (!options.keepRequestAuth) inheritOAuth2Auth(collection, changes);
  setScript(collection, 'prerequest', bundle.code, bundle.version, changes);
  if (bundle.afterResponse !== undefined && !options.skip401Recovery) {
    setScript(collection, 'test', bundle.afterResponse, bundle.version, changes);
  } else {
    removeScript(collection, 'test', changes);
  }
  return changes;
}
