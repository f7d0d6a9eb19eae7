import { injectIntoCollection } from '../../build/inject.ts';
import { readFileSync } from 'node:fs';
import path from 'node:path';
import { DIST_SCRIPTS } from './paths.ts';

type Json = Record<string, unknown>;

export const SCHEMA_V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

/** `count` GET requests to the mock API's authenticated echo, no scripts. */
export function requestsCollection(name: string, count: number, origin: string): Json {
  return {
    info: { name, schema: SCHEMA_V21 },
    item: Array.from({ length: count }, (_, i) => ({
      name: `request ${i + 1}`,
      request: { method: 'GET', url: `${origin}/api/v2/bench/items/${i + 1}` },
    })),
  };
}

/** The built pre-request script of one entry in dist/scripts. */
export function builtScript(entry = 'all-grants'): string {
  return readFileSync(path.join(DIST_SCRIPTS, `${entry}.js`), 'utf8');
}

/** A copy of `base` with this project's built script injected, as `postman-oauth-kit inject` does. */
export function withBundle(
  base: Json,
  tokenUrl: string,
  tokenStore: 'collection' | 'environment',
  entry = 'all-grants',
  recovery = true,
): Json {
  const collection = structuredClone(base);
  // As users get it: the pre-request script plus, unless --skip-401-recovery, the post-response script.
  const bundle = { code: builtScript(entry), afterResponse: builtScript('after-response'), version: 'bench' };
  injectIntoCollection(collection, bundle, { tokenUrl, tokenStore, skip401Recovery: !recovery }, 'bench collection');
  return collection;
}

/** A copy of `base` whose collection auth sends a fixed bearer token. */
export function withStaticToken(base: Json, token: string): Json {
  return {
    ...structuredClone(base),
    auth: { type: 'bearer', bearer: [{ key: 'token', value: token, type: 'string' }] },
  };
}

/**
 * The floor any token script pays: reads a cached token from the environment,
 * checks its expiry and sets the Authorization header. Padded with comments to
 * `bytes` (1 KB by default; to the bundle's size to separate size from work).
 */
export function minimalScript(bytes = 1024): string {
  const code = [
    '// Minimal token script (benchmark floor): read the cached token, check expiry, set the header.',
    '(function () {',
    "  var token = pm.environment.get('oauth_access_token');",
    "  var expiresAt = Date.parse(pm.environment.get('oauth_token_expires_at') || '');",
    '  if (!token || !(expiresAt > Date.now() + 60000)) {',
    "    throw new Error('benchmark floor script: no fresh cached token in the environment');",
    '  }',
    "  pm.request.headers.upsert({ key: 'Authorization', value: 'Bearer ' + token });",
    '})();',
  ].join('\n');
  const filler = '// padding: a realistic copied script carries comments and a fetch branch of about this size.';
  const lines = [code];
  let size = Buffer.byteLength(code);
  while (size + filler.length + 1 <= bytes) {
    lines.push(filler);
    size += filler.length + 1;
  }
  const rest = bytes - size - 1;
  if (rest >= 3) lines.push('//' + ' '.repeat(rest - 2));
  return lines.join('\n');
}

/**
 * Profile: the minimal script with one `await` before it sets the header, the
 * way an async script completes (the bundle's ensureToken is async).
 */
export function minimalAsyncScript(): string {
  return [
    '// Profile: the minimal script, completing after one await (as an async token script does).',
    '(async function () {',
    "  var token = pm.environment.get('oauth_access_token');",
    "  var expiresAt = Date.parse(pm.environment.get('oauth_token_expires_at') || '');",
    '  await null;',
    '  if (!token || !(expiresAt > Date.now() + 60000)) {',
    "    throw new Error('benchmark floor script: no fresh cached token in the environment');",
    '  }',
    "  pm.request.headers.upsert({ key: 'Authorization', value: 'Bearer ' + token });",
    '})();',
  ].join('\n');
}

/** A copy of `base` with `script` as its collection-level pre-request script. */
export function withScript(base: Json, script: string): Json {
  return {
    ...structuredClone(base),
    event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: script.split('\n') } }],
  };
}

/** A newman environment (the shape `--export-environment` writes). */
export function environment(name: string, values: Record<string, string>): Json {
  return {
    name,
    _postman_variable_scope: 'environment',
    values: Object.entries(values).map(([key, value]) => ({ key, value, type: 'default', enabled: true })),
  };
}

export const DEMO_SECRETS = {
  'vault:oauth-client-id': 'demo-client-id',
  'vault:oauth-client-secret': 'demo-client-secret',
};
