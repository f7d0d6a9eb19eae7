import { describe, expect, it } from 'vitest';
import { BEGIN_MARKER, END_MARKER, injectIntoCollection, withoutOurBlock } from '../../build/inject.ts';
import { CliError } from '../../build/errors.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

const bundle = { code: '(function () {\n  "use strict";\n  runPreRequest(pm);\n})();\n', version: '9.9.9' };
const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';
const V20 = 'https://schema.getpostman.com/json/collection/v2.0.0/collection.json';

function userCollection(): Record<string, unknown> {
  return {
    info: { _postman_id: 'keep-me', name: 'Mine', description: 'My **markdown**', schema: V21 },
    item: [
      {
        name: 'folder',
        description: 'folder text',
        item: [
          {
            name: 'req',
            id: 'stable-id',
            request: { method: 'GET', url: { raw: '{{baseUrl}}/x?y=1', host: ['{{baseUrl}}'], path: ['x'], query: [{ key: 'y', value: '1' }] } },
          },
        ],
      },
      { name: 'own auth', request: { auth: { type: 'basic', basic: [{ key: 'username', value: 'u' }] }, method: 'POST', url: 'https://x/y' } },
    ],
    event: [
      { listen: 'prerequest', script: { id: 'script-id', type: 'text/javascript', exec: ["console.log('user pre-request');"] } },
      { listen: 'test', script: { type: 'text/javascript', exec: ["pm.test('user test', () => {});"] } },
    ],
    variable: [
      { key: 'baseUrl', value: 'https://api.mypurecloud.com' },
      { key: 'custom', value: 'x', disabled: true },
    ],
    protocolProfileBehavior: { disableBodyPruning: true },
  };
}

function inject(collection: unknown, options: Parameters<typeof injectIntoCollection>[2] = { tokenUrl: 'https://auth.example.com/token' }) {
  return injectIntoCollection(collection, bundle, options, 'in.json');
}

function thrown(fn: () => unknown): CliError {
  try {
    fn();
  } catch (error) {
    expect(error).toBeInstanceOf(CliError);
    return error as CliError;
  }
  throw new Error('expected a CliError');
}

const exec = (c: Record<string, unknown>) => ((c['event'] as Array<{ listen: string; script: { exec: string[] } }>)[0]!).script.exec;
const variable = (c: Record<string, unknown>, key: string) =>
  (c['variable'] as Array<{ key: string; value: string }>).find((v) => v.key === key)?.value;

describe('injectIntoCollection', () => {
  it('adds the script first, keeps the user script after it, sets bearer auth and the oauth_ variables', () => {
    const c = userCollection();
    inject(c);
    const lines = exec(c);
    expect(lines[0]?.startsWith(`${BEGIN_MARKER} 9.9.9:`)).toBe(true);
    expect(lines.slice(1, 4)).toEqual(['(function () {', '  "use strict";', '  runPreRequest(pm);']);
    expect(lines.at(-2)).toBe(`${END_MARKER} 9.9.9`);
    expect(lines.at(-1)).toBe("console.log('user pre-request');");
    expect(c['auth']).toEqual({ type: 'bearer', bearer: [{ key: 'token', value: '{{oauth_access_token}}', type: 'string' }] });
    expect(variable(c, 'oauth_token_url')).toBe('https://auth.example.com/token');
    expect(variable(c, 'oauth_client_secret')).toBe('{{vault:oauth-client-secret}}');
    expect(variable(c, 'oauth_access_token')).toBe('');
    expect(collectionSchemaErrors(c)).toEqual([]);
  });

  it('touches nothing it does not own', () => {
    const before = userCollection();
    const after = userCollection();
    inject(after);
    const strip = (c: Record<string, unknown>) => {
      const copy = structuredClone(c);
      delete copy['auth'];
      delete copy['event'];
      copy['variable'] = (copy['variable'] as Array<{ key: string }>).filter((v) => !v.key.startsWith('oauth_'));
      return copy;
    };
    expect(strip(after)).toEqual(strip(before));
    expect((after['event'] as unknown[])[1]).toEqual((before['event'] as unknown[])[1]);
    expect(((after['event'] as Array<{ script: { id: string } }>)[0])!.script.id).toBe('script-id');
  });

  it('is idempotent: re-running on its output replaces its block and changes nothing else', () => {
    const once = userCollection();
    inject(once);
    const snapshot = JSON.stringify(once);
    const changes = inject(once);
    expect(JSON.stringify(once)).toBe(snapshot);
    expect(changes).toEqual(['collection pre-request script: replaced the postman-oauth-kit block']);
    expect(exec(once).filter((l) => l.startsWith(BEGIN_MARKER))).toHaveLength(1);
  });

  it('updates its block to a new bundle version on re-run', () => {
    const c = userCollection();
    inject(c);
    injectIntoCollection(c, { code: 'newCode();', version: '10.0.0' }, {}, 'in.json');
    expect(exec(c).filter((l) => l.startsWith(BEGIN_MARKER))).toHaveLength(1);
    expect(exec(c)).toContain('newCode();');
    expect(exec(c)).not.toContain('  runPreRequest(pm);');
  });

  it('keeps values a user changed in the collection unless a flag sets them', () => {
    const c = userCollection();
    inject(c);
    (c['variable'] as Array<{ key: string; value: string }>).find((v) => v.key === 'oauth_scope')!.value = 'mine';
    inject(c, {});
    expect(variable(c, 'oauth_scope')).toBe('mine');
    inject(c, { scope: 'flag' });
    expect(variable(c, 'oauth_scope')).toBe('flag');
  });

  it('accepts a string exec and a collection without events or variables', () => {
    const c = { info: { name: 'x', schema: V21 }, item: [], event: [{ listen: 'prerequest', script: { exec: 'a();\nb();' } }] };
    inject(c);
    expect(exec(c).slice(-2)).toEqual(['a();', 'b();']);
    const bare = { info: { name: 'x', schema: V21 }, item: [] };
    inject(bare);
    expect(exec(bare)[0]?.startsWith(BEGIN_MARKER)).toBe(true);
  });

  it('writes v2.0 bearer auth in the v2.0 shape', () => {
    const c = { info: { name: 'x', schema: V20 }, item: [] };
    inject(c);
    expect(c).toHaveProperty('auth', { type: 'bearer', bearer: { token: '{{oauth_access_token}}' } });
  });

  it('replaces the app-only oauth2 helper auth and an old bearer', () => {
    for (const auth of [{ type: 'oauth2', oauth2: [] }, { type: 'bearer', bearer: [{ key: 'token', value: 'old' }] }, { type: 'noauth' }]) {
      const c = { info: { name: 'x', schema: V21 }, item: [], auth };
      inject(c);
      expect((c.auth as { type: string }).type).toBe('bearer');
    }
  });

  it('genesys: token URL, environment variable and regional API base', () => {
    const c = userCollection();
    const changes = inject(c, { provider: 'genesys', region: 'mypurecloud.de' });
    expect(variable(c, 'oauth_token_url')).toBe('https://login.{{environment}}/oauth/token');
    expect(variable(c, 'environment')).toBe('mypurecloud.de');
    expect(variable(c, 'baseUrl')).toBe('https://api.{{environment}}');
    expect(changes).toContain('variable baseUrl: https://api.mypurecloud.com -> https://api.{{environment}}');
    inject(c, { provider: 'genesys', region: 'https://api.usw2.pure.cloud' });
    expect(variable(c, 'environment')).toBe('usw2.pure.cloud');
  });

  it.each<[string, () => unknown, string, string]>([
    ['a JSON array', () => inject([]), 'NOT_A_COLLECTION', 'in.json is not a Postman collection: it is a JSON array. Export it from Postman with "Export" > "Collection v2.1" and try again.'],
    ['an environment', () => inject({ name: 'env', values: [], _postman_variable_scope: 'environment' }), 'NOT_A_COLLECTION', 'in.json is not a Postman collection: it is a Postman environment or globals file. Export it from Postman with "Export" > "Collection v2.1" and try again.'],
    ['no item array', () => inject({ info: { name: 'x' } }), 'NOT_A_COLLECTION', 'in.json is not a Postman collection: it has no "item" array. Export it from Postman with "Export" > "Collection v2.1" and try again.'],
    ['a v1 collection', () => inject({ id: 'x', name: 'old', order: [], requests: [] }), 'COLLECTION_V1', 'in.json is a collection in the old v1 format. Re-export it from Postman as "Collection v2.1", or convert it with: npx postman-collection-transformer convert -i in.json -o converted.json -j 1.0.0 -p 2.1.0'],
    ['an unknown schema', () => inject({ info: { name: 'x', schema: 'https://schema.getpostman.com/json/collection/v3.0.0/collection.json' }, item: [] }), 'UNSUPPORTED_COLLECTION_VERSION', 'in.json declares the collection schema "https://schema.getpostman.com/json/collection/v3.0.0/collection.json"; only v2.0.0 and v2.1.0 are supported. Re-export it as "Collection v2.1".'],
    ['another auth type', () => inject({ ...userCollection(), auth: { type: 'apikey' } }), 'CONFLICTING_AUTH', 'in.json already has collection-level auth of type "apikey". The OAuth token would replace it; pass --replace-auth to do that, or remove the collection auth first.'],
    ['duplicate oauth_ variables', () => inject({ ...userCollection(), variable: [{ key: 'oauth_scope', value: 'a' }, { key: 'oauth_scope', value: 'b' }] }), 'DUPLICATE_VARIABLE', 'in.json defines the collection variable "oauth_scope" 2 times. Keep one (Postman uses the last) and run again.'],
    ['no token URL', () => inject(userCollection(), {}), 'TOKEN_URL_REQUIRED', 'no token URL: pass --token-url <url> (or --provider genesys --region <domain>).'],
    ['a relative token URL', () => inject(userCollection(), { tokenUrl: '/oauth/token' }), 'INVALID_TOKEN_URL', '--token-url "/oauth/token" is not an absolute http(s) URL or a {{variable}}. Example: https://login.mypurecloud.com/oauth/token'],
    ['an unknown grant', () => inject(userCollection(), { grant: 'magic', tokenUrl: 'https://x/t' }), 'UNKNOWN_GRANT', '--grant "magic" is not supported; use one of: client_credentials, authorization_code, pkce, implicit, password.'],
    ['an unknown region', () => inject(userCollection(), { provider: 'genesys', region: 'mypurecloud.fr' }), 'UNKNOWN_REGION', '--region "mypurecloud.fr" is not a Genesys Cloud region. Use one of: mypurecloud.com, mypurecloud.ie, mypurecloud.com.au, mypurecloud.jp, mypurecloud.de, usw2.pure.cloud, cac1.pure.cloud, apne2.pure.cloud, euw2.pure.cloud, aps1.pure.cloud, use2.us-gov-pure.cloud, sae1.pure.cloud, mec1.pure.cloud, apne3.pure.cloud, euc2.pure.cloud, mxc1.pure.cloud, apse1.pure.cloud.'],
    ['genesys without a region', () => inject(userCollection(), { provider: 'genesys' }), 'REGION_REQUIRED', '--provider genesys needs --region <domain>, e.g. --region mypurecloud.ie (list: postman-oauth-kit inject --help).'],
    ['a literal secret', () => inject(userCollection(), { tokenUrl: 'https://x/t', clientSecret: 'abc123' }), 'LITERAL_SECRET', '--client-secret was given a literal value, which would be written into the output collection. Use a vault reference such as --client-secret "{{vault:oauth-client-secret}}" and store the secret in Postman Vault (newman: --env-var "vault:oauth-client-secret=..."), or pass --allow-literal-secret if you really want it in the file.'],
  ])('refuses %s with an exact message', (_name, fn, code, message) => {
    const error = thrown(fn);
    expect(error.code).toBe(code);
    expect(error.message).toBe(message);
  });

  it('accepts token URLs with variables and a literal secret when forced', () => {
    expect(() => inject(userCollection(), { tokenUrl: '{{tokenUrl}}' })).not.toThrow();
    expect(() => inject(userCollection(), { tokenUrl: 'https://{{host}}:{{port}}/token' })).not.toThrow();
    const c = userCollection();
    inject(c, { tokenUrl: 'https://x/t', clientSecret: 'abc123', allowLiteralSecret: true });
    expect(variable(c, 'oauth_client_secret')).toBe('abc123');
  });

  it('makes folder/request oauth2 auth inherit the token; other request auth stays', () => {
    const make = () => ({
      info: { name: 'x', schema: V21 },
      item: [
        { name: 'f', auth: { type: 'oauth2', oauth2: [] }, item: [{ name: 'r1', request: { url: 'https://x', auth: { type: 'oauth2', oauth2: [] } } }] },
        { name: 'r2', request: { url: 'https://x', auth: { type: 'basic', basic: [] } } },
      ],
    });
    const c = make();
    const changes = inject(c);
    expect(changes).toContain('2 folder/request oauth2 auth settings: removed, so they inherit the collection token (--keep-request-auth keeps them)');
    expect(c.item[0]).not.toHaveProperty('auth');
    expect(c.item[0]!.item![0]!.request).not.toHaveProperty('auth');
    expect(c.item[1]!.request!.auth).toEqual({ type: 'basic', basic: [] });
    const kept = make();
    inject(kept, { tokenUrl: 'https://x/t', keepRequestAuth: true });
    expect(kept).toEqual({ ...make(), ...{ auth: kept['auth' as never], event: kept['event' as never], variable: kept['variable' as never] } });
  });

  it('withoutOurBlock removes exactly the marked block', () => {
    expect(withoutOurBlock(['a', `${BEGIN_MARKER} 1`, 'x', `${END_MARKER} 1`, 'b'])).toEqual(['a', 'b']);
    expect(withoutOurBlock(['a', 'b'])).toEqual(['a', 'b']);
  });
});

describe('the 401-recovery post-response script', () => {
  const withAfter = { ...bundle, afterResponse: 'recover(pm);' };

  it('is installed in the test event by default and removed again with skip401Recovery, keeping the user test script', () => {
    const c = userCollection();
    injectIntoCollection(c, withAfter, { tokenUrl: 'https://x/t' }, 'in.json');
    const test = () => (c['event'] as Array<{ listen: string; script: { exec: string[] } }>).find((e) => e.listen === 'test');
    expect(test()!.script.exec).toContain('recover(pm);');
    expect(test()!.script.exec.at(-1)).toBe("pm.test('user test', () => {});");
    const changes = injectIntoCollection(c, withAfter, { skip401Recovery: true }, 'in.json');
    expect(changes).toContain('collection post-response script: removed the postman-oauth-kit block');
    expect(test()!.script.exec).toEqual(["pm.test('user test', () => {});"]);
  });

  it('drops an event that held only our block', () => {
    const c: Record<string, unknown> = { info: { name: 'x', schema: V21 }, item: [] };
    injectIntoCollection(c, withAfter, { tokenUrl: 'https://x/t' }, 'in.json');
    expect((c['event'] as Array<{ listen: string }>).map((e) => e.listen)).toEqual(['prerequest', 'test']);
    injectIntoCollection(c, withAfter, { skip401Recovery: true }, 'in.json');
    expect((c['event'] as Array<{ listen: string }>).map((e) => e.listen)).toEqual(['prerequest']);
  });
});
