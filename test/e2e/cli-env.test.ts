import { promises as fs } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { GENESYS_REGIONS } from '../../build/genesys.ts';
import { spawnCli, tempFolder } from '../helpers/cli-process.ts';

let dir: string;
beforeAll(async () => {
  dir = await tempFolder('pok-env-');
});

interface Environment {
  id: string;
  name: string;
  values: { key: string; value: string; type: string; enabled: boolean }[];
  _postman_variable_scope: string;
}

async function readEnv(file: string): Promise<Environment> {
  return JSON.parse(await fs.readFile(path.join(dir, file), 'utf8')) as Environment;
}

describe('postman-oauth-kit env', () => {
  it.each(GENESYS_REGIONS.map((r) => [r]))('writes a Postman environment for %s', async (region) => {
    const file = `${region}.postman_environment.json`;
    const result = await spawnCli(['env', '--provider', 'genesys', '--region', region, '-o', file], { cwd: dir });
    expect(result.stderr).toBe('');
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(`wrote ${file} (environment "Genesys Cloud ${region}", region ${region})\n`);
    const env = await readEnv(file);
    expect(env.name).toBe(`Genesys Cloud ${region}`);
    expect(env._postman_variable_scope).toBe('environment');
    expect(env.id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-5[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(env.values.map((v) => [v.key, v.value, v.type, v.enabled])).toEqual([
      ['environment', region, 'default', true],
      ['oauth_client_id', '{{vault:oauth-client-id}}', 'default', true],
      ['oauth_client_secret', '{{vault:oauth-client-secret}}', 'default', true],
    ]);
  });

  it('accepts a pasted API URL, a name and vault references, and writes the same bytes twice', async () => {
    const args = ['env', '--provider', 'genesys', '--region', 'https://api.mypurecloud.de/api/v2', '-o', 'de.json', '--name', 'Prod DE',
      '--client-id', '{{vault:de-client-id}}', '--client-secret', '{{vault:de-client-secret}}'];
    expect((await spawnCli(args, { cwd: dir })).code).toBe(0);
    const first = await fs.readFile(path.join(dir, 'de.json'), 'utf8');
    expect((await spawnCli(args, { cwd: dir })).code).toBe(0);
    expect(await fs.readFile(path.join(dir, 'de.json'), 'utf8')).toBe(first);
    const env = JSON.parse(first) as Environment;
    expect(env.name).toBe('Prod DE');
    expect(env.values.map((v) => v.value)).toEqual(['mypurecloud.de', '{{vault:de-client-id}}', '{{vault:de-client-secret}}']);
  });

  it('--list-regions prints every region, one per line', async () => {
    const result = await spawnCli(['env', '--list-regions'], { cwd: dir });
    expect(result.code).toBe(0);
    expect(result.stdout).toBe(GENESYS_REGIONS.join('\n') + '\n');
  });

  const cases: [string, string[], string][] = [
    ['unknown region', ['--provider', 'genesys', '--region', 'mypurecloud.fr', '-o', 'x.json'],
      `--region "mypurecloud.fr" is not a Genesys Cloud region. Use one of: ${GENESYS_REGIONS.join(', ')}.`],
    ['no provider', ['--region', 'mypurecloud.ie', '-o', 'x.json'], 'give the provider: --provider genesys.'],
    ['unknown provider', ['--provider', 'okta', '--region', 'mypurecloud.ie', '-o', 'x.json'], '--provider "okta" is not valid; use one of: genesys.'],
    ['no region', ['--provider', 'genesys', '-o', 'x.json'],
      '--provider genesys needs --region <domain>, e.g. --region mypurecloud.ie (list: postman-oauth-kit env --list-regions).'],
    ['no output', ['--provider', 'genesys', '--region', 'mypurecloud.ie'], 'give an output file with -o <file>, e.g. -o genesys.postman_environment.json.'],
    ['a file argument', ['env.json', '--provider', 'genesys'], 'env takes no file argument (got env.json); give the output with -o <file>.'],
    ['a literal secret', ['--provider', 'genesys', '--region', 'mypurecloud.ie', '-o', 'x.json', '--client-secret', 'hunter2-literal'],
      '--client-secret was given a literal value, which would be written into the environment file. Use a vault reference such as --client-secret "{{vault:gc-client-secret}}" and store the secret in Postman Vault (postman-oauth-kit run: POSTMAN_VAULT_GC_CLIENT_SECRET).'],
    ['unknown option', ['--provider', 'genesys', '--regions', 'x'], 'unknown option --regions for "env". Run "postman-oauth-kit env --help" for the options.'],
  ];
  it.each(cases)('%s: exit 2 with the exact message, no file written', async (_name, args, message) => {
    const result = await spawnCli(['env', ...args], { cwd: dir });
    expect(result.code).toBe(2);
    expect(result.stdout).toBe('');
    expect(result.stderr).toBe(`[postman-oauth-kit] ${message}\n`);
    await expect(fs.access(path.join(dir, 'x.json'))).rejects.toThrow();
  });

  it('a missing output folder: exit 4 with the exact message', async () => {
    const result = await spawnCli(['env', '--provider', 'genesys', '--region', 'mypurecloud.ie', '-o', 'no/such/dir/x.json'], { cwd: dir });
    expect(result.code).toBe(4);
    expect(result.stderr).toBe(`[postman-oauth-kit] cannot write ${path.join(dir, 'no/such/dir/x.json')}: the folder ${path.join(dir, 'no/such/dir')} does not exist. Create it first.\n`);
  });
});
