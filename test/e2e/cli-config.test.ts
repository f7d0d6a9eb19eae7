import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeEach, describe, expect, it } from 'vitest';
import { injectSpec } from '../../build/commands/inject.ts';
import { configKeys } from '../../build/config-file.ts';
import { parseJsonText } from '../../build/json-file.ts';
import { spawnCli, tempFolder } from '../helpers/cli-process.ts';
import { COLLECTIONS } from '../helpers/paths.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

/** The message of the CLI's shared JSON parser (which names line and column) for a broken text. */
function jsonError(text: string, file: string): string {
  try {
    parseJsonText(text, file, 'Fix the file.');
  } catch (error) {
    const message = (error as Error).message;
    expect(message).toMatch(new RegExp(`^${file.replace(/\./g, '\\.')} is not valid JSON: .+ at line 2, column 1\\. Fix the file\\.$`));
    return message;
  }
  throw new Error('expected a JSON error');
}

const SAMPLE = path.join(COLLECTIONS, 'genesys-sample.postman_collection.json');
let dir: string;

beforeEach(async () => {
  dir = await tempFolder('pok-config-');
  await fs.copyFile(SAMPLE, path.join(dir, 'collection.json'));
});

async function read(file: string): Promise<string> {
  return fs.readFile(path.join(dir, file), 'utf8');
}

async function writeConfig(content: unknown, file = 'postman-oauth-kit.config.json'): Promise<void> {
  await fs.writeFile(path.join(dir, file), typeof content === 'string' ? content : JSON.stringify(content, null, 2));
}

function variable(collectionText: string, key: string): unknown {
  const collection = JSON.parse(collectionText) as { variable: { key: string; value: unknown }[] };
  return collection.variable.find((v) => v.key === key)?.value;
}

const FLAGS = ['--provider', 'genesys', '--region', 'mypurecloud.ie', '--client-id', '{{vault:gc-client-id}}', '--client-secret',
  '{{vault:gc-client-secret}}', '--client-auth', 'post', '--scope', 'analytics routing', '--refresh-margin', '120', '--token-store', 'environment'];
const CONFIG = {
  provider: 'genesys', region: 'mypurecloud.ie', clientId: '{{vault:gc-client-id}}', clientSecret: '{{vault:gc-client-secret}}',
  clientAuth: 'post', scope: 'analytics routing', refreshMargin: 120, tokenStore: 'environment',
};

describe('inject with postman-oauth-kit.config.json', () => {
  it('a config-file build is byte-for-byte the flag build', async () => {
    const byFlags = await spawnCli(['inject', 'collection.json', '-o', 'flags.json', ...FLAGS], { cwd: dir });
    expect(byFlags.code).toBe(0);
    await writeConfig(CONFIG);
    const byConfig = await spawnCli(['inject', 'collection.json', '-o', 'config.json'], { cwd: dir });
    expect(byConfig.stderr).toBe('');
    expect(byConfig.code).toBe(0);
    expect(byConfig.stdout.split('\n')[0]).toBe('options from postman-oauth-kit.config.json');
    const text = await read('config.json');
    expect(text).toBe(await read('flags.json'));
    expect(collectionSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(variable(text, 'oauth_scope')).toBe('analytics routing');
    expect(variable(text, 'environment')).toBe('mypurecloud.ie');
  });

  it('--config names another file; flags win over it', async () => {
    await writeConfig(CONFIG, 'team.json');
    const result = await spawnCli(['inject', 'collection.json', '-o', 'out.json', '--config', 'team.json', '--region', 'mypurecloud.de', '--client-auth', 'basic'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.split('\n')[0]).toBe('options from team.json');
    const text = await read('out.json');
    expect(collectionSchemaErrors(JSON.parse(text))).toEqual([]);
    expect(variable(text, 'environment')).toBe('mypurecloud.de');
    expect(variable(text, 'oauth_client_auth')).toBe('basic');
    expect(variable(text, 'oauth_refresh_margin')).toBe('120');
  });

  it('without a config file nothing changes (no "options from" line)', async () => {
    const result = await spawnCli(['inject', 'collection.json', '-o', 'out.json', '--provider', 'genesys', '--region', 'mypurecloud.ie'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout.startsWith('wrote out.json (5 requests, script ')).toBe(true);
    expect(collectionSchemaErrors(JSON.parse(await read('out.json')))).toEqual([]);
  });

  const F = 'postman-oauth-kit.config.json';
  const cases: [string, unknown, number, string][] = [
    ['not JSON (a trailing comma)', '{"provider": "genesys",\n}', 3, jsonError('{"provider": "genesys",\n}', F)],
    ['not an object', ['genesys'], 2, `${F}: the config must be a JSON object such as {"provider": "genesys", "region": "mypurecloud.ie"} (got an array).`],
    ['unknown key with a hint', { provider: 'genesys', region: 'mypurecloud.ie', token_url: 'https://x' }, 2,
      `${F}: unknown key "token_url"; did you mean "tokenUrl"? Keys: ${Object.keys(configKeys()).join(', ')}.`],
    ['wrong type', { provider: 'genesys', region: 'mypurecloud.ie', replaceAuth: 'yes' }, 2, `${F}: "replaceAuth" must be true or false (got "yes").`],
    ['number where a string belongs', { provider: 'genesys', region: 42 }, 2, `${F}: "region" must be a string (got 42).`],
    ['bad choice', { provider: 'genesys', region: 'mypurecloud.ie', clientAuth: 'header' }, 2, `${F}: "clientAuth" "header" is not valid; use one of: basic, post.`],
    ['negative refresh margin', { provider: 'genesys', region: 'mypurecloud.ie', refreshMargin: -5 }, 2, `${F}: "refreshMargin" must be a whole number of seconds, e.g. 60 (got -5).`],
    ['unknown region', { provider: 'genesys', region: 'mars.pure.cloud' }, 2, `${F}: "region" "mars.pure.cloud" is not a Genesys Cloud region. Use one of: mypurecloud.com, mypurecloud.ie, mypurecloud.com.au, mypurecloud.jp, mypurecloud.de, usw2.pure.cloud, cac1.pure.cloud, apne2.pure.cloud, euw2.pure.cloud, aps1.pure.cloud, use2.us-gov-pure.cloud, sae1.pure.cloud, mec1.pure.cloud, apne3.pure.cloud, euc2.pure.cloud, mxc1.pure.cloud, apse1.pure.cloud.`],
    ['literal secret', { tokenUrl: 'https://auth.example.com/token', clientSecret: 'plain-secret' }, 2,
      `${F}: "clientSecret" holds a literal value, which would be written into the output collection. Use a vault reference such as "{{vault:oauth-client-secret}}" and store the secret in Postman Vault (postman-oauth-kit run: POSTMAN_VAULT_OAUTH_CLIENT_SECRET), or set "allowLiteralSecret": true if you really want it in the file.`],
  ];
  it.each(cases)('%s: the exact message naming the file and key, nothing written', async (_name, content, code, message) => {
    await writeConfig(content);
    const result = await spawnCli(['inject', 'collection.json', '-o', 'out.json'], { cwd: dir });
    expect(result.code).toBe(code);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`[postman-oauth-kit] ${message}\n`);
    await expect(fs.access(path.join(dir, 'out.json'))).rejects.toThrow();
  });

  it('holds every inject flag except the file ones, in camelCase', () => {
    expect(Object.values(configKeys()).map((k) => k.flag)).toEqual(
      injectSpec.options.map((o) => o.name).filter((n) => !['output', 'in-place', 'config', 'help'].includes(n)),
    );
    expect(configKeys()['tokenUrl']).toEqual({ flag: 'token-url', kind: 'string', option: 'tokenUrl' });
  });

  it('--config with a missing file: exit 2 with the exact message', async () => {
    const result = await spawnCli(['inject', 'collection.json', '-o', 'out.json', '--config', 'nope.json'], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stderr).toBe('[postman-oauth-kit] --config nope.json does not exist. Check the path.\n');
  });
});
