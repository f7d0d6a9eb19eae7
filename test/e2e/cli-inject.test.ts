import { chmodSync, copyFileSync, readFileSync, writeFileSync, existsSync, readdirSync } from 'node:fs';
import path from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { COLLECTIONS, requireBuilt } from '../helpers/paths.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

const SAMPLE = path.join(COLLECTIONS, 'genesys-sample.postman_collection.json');
let dir: string;

beforeAll(() => {
  requireBuilt();
  dir = tempDir();
  copyFileSync(SAMPLE, path.join(dir, 'in.postman_collection.json'));
});

describe('postman-oauth-kit inject (in-process CLI)', () => {
  it('writes a schema-valid augmented collection and reports what it changed', async () => {
    const r = await cli(['inject', 'in.postman_collection.json', '-o', 'out.json', '--provider', 'genesys', '--region', 'mypurecloud.ie'], dir);
    expect(r.stderr).toBe('');
    expect(r.code).toBe(0);
    expect(r.stdout).toMatch(/^wrote out\.json \(5 requests, script \d+ bytes\)\n/);
    expect(r.stdout).toContain('  variable baseUrl: https://api.mypurecloud.com -> https://api.{{environment}}\n');
    const out = JSON.parse(readFileSync(path.join(dir, 'out.json'), 'utf8'));
    expect(collectionSchemaErrors(out)).toEqual([]);
    expect(readFileSync(path.join(dir, 'in.postman_collection.json'), 'utf8')).toBe(readFileSync(SAMPLE, 'utf8'));
    expect(readdirSync(dir).filter((f) => f.endsWith('.tmp'))).toEqual([]);
  });

  it('keeps the input formatting style (indent, trailing newline)', async () => {
    writeFileSync(path.join(dir, 'tabs.json'), '{\n\t"info": {"name": "t", "schema": "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"},\n\t"item": []\n}');
    expect((await cli(['inject', 'tabs.json', '-o', 'tabs.out.json', '--token-url', 'https://x/t'], dir)).code).toBe(0);
    const text = readFileSync(path.join(dir, 'tabs.out.json'), 'utf8');
    expect(text.startsWith('{\n\t"info": {\n\t\t"name": "t"')).toBe(true);
    expect(text.endsWith('}')).toBe(true);
  });

  it('--in-place overwrites the input only when asked', async () => {
    copyFileSync(SAMPLE, path.join(dir, 'inplace.json'));
    const r = await cli(['inject', 'inplace.json', '--in-place', '--token-url', 'https://x/t'], dir);
    expect(r.code).toBe(0);
    expect(readFileSync(path.join(dir, 'inplace.json'), 'utf8')).toContain('postman-oauth-kit');
  });

  it('prints help for the command', async () => {
    const r = await cli(['inject', '--help'], dir);
    expect(r.code).toBe(0);
    expect(r.stdout).toContain('Usage: postman-oauth-kit inject <collection.json> (-o <out.json> | --in-place) [options]');
    expect(r.stdout).toContain('--token-url <url>');
    expect((await cli(['mock-server', '--help'], dir)).stdout).toContain('Usage: postman-oauth-kit mock-server');
    expect((await cli(['--help'], dir)).stdout).toContain('Commands:');
  });

  it.each<[string, string[], (d: string) => void, number, string]>([
    ['a missing file', ['inject', 'nope.json', '-o', 'o.json', '--token-url', 'https://x/t'], () => {}, 3, 'nope.json does not exist. Check the path.'],
    ['invalid JSON', ['inject', 'bad.json', '-o', 'o.json', '--token-url', 'https://x/t'], (d) => writeFileSync(path.join(d, 'bad.json'), '{\n  "info": {},\n  "item": [,]\n}'), 3, 'bad.json is not valid JSON: unexpected "," where a value should be at line 3, column 12. Fix the file or export it again.'],
    ['truncated JSON', ['inject', 'cut.json', '-o', 'o.json', '--token-url', 'https://x/t'], (d) => writeFileSync(path.join(d, 'cut.json'), '{\n  "info": {"name": "x"'), 3, 'cut.json is not valid JSON: the file ends early (truncated?) at line 2, column 23. Fix the file or export it again.'],
    ['not a collection', ['inject', 'arr.json', '-o', 'o.json', '--token-url', 'https://x/t'], (d) => writeFileSync(path.join(d, 'arr.json'), '[1,2]'), 3, 'arr.json is not a Postman collection: it is a JSON array. Export it from Postman with "Export" > "Collection v2.1" and try again.'],
    ['an unknown option', ['inject', 'in.postman_collection.json', '-o', 'o.json', '--tokenurl', 'x'], () => {}, 2, 'unknown option --tokenurl for "inject". Run "postman-oauth-kit inject --help" for the options.'],
    ['an unknown grant', ['inject', 'in.postman_collection.json', '-o', 'o.json', '--grant', 'magic', '--token-url', 'https://x/t'], () => {}, 2, '--grant "magic" is not supported; use one of: client_credentials, authorization_code, pkce, implicit, password.'],
    ['a bad token URL', ['inject', 'in.postman_collection.json', '-o', 'o.json', '--token-url', 'login/oauth'], () => {}, 2, '--token-url "login/oauth" is not an absolute http(s) URL or a {{variable}}. Example: https://login.mypurecloud.com/oauth/token'],
    ['an unknown region', ['inject', 'in.postman_collection.json', '-o', 'o.json', '--provider', 'genesys', '--region', 'moon.pure.cloud'], () => {}, 2, '--region "moon.pure.cloud" is not a Genesys Cloud region. Use one of: mypurecloud.com, mypurecloud.ie, mypurecloud.com.au, mypurecloud.jp, mypurecloud.de, usw2.pure.cloud, cac1.pure.cloud, apne2.pure.cloud, euw2.pure.cloud, aps1.pure.cloud, use2.us-gov-pure.cloud, sae1.pure.cloud, mec1.pure.cloud, apne3.pure.cloud, euc2.pure.cloud, mxc1.pure.cloud, apse1.pure.cloud.'],
    ['output = input', ['inject', 'in.postman_collection.json', '-o', './in.postman_collection.json', '--token-url', 'https://x/t'], () => {}, 4, 'the output ./in.postman_collection.json is the input file. Choose another -o path, or pass --in-place to overwrite the input.'],
    ['no output', ['inject', 'in.postman_collection.json', '--token-url', 'https://x/t'], () => {}, 2, 'give an output file with -o <file> (or --in-place to overwrite the input).'],
    ['a missing output folder', ['inject', 'in.postman_collection.json', '-o', 'missing/o.json', '--token-url', 'https://x/t'], () => {}, 4, 'cannot write missing/o.json: the folder DIR/missing does not exist. Create it first.'],
    ['an unknown command', ['injekt'], () => {}, 2, 'unknown command "injekt". Commands: inject, run, env, login, mock-server, demo. Run "postman-oauth-kit --help".'],
  ])('refuses %s with a specific message and exit code', async (_name, argv, setup, code, message) => {
    setup(dir);
    const before = readFileSync(path.join(dir, 'in.postman_collection.json'), 'utf8');
    const r = await cli(argv, dir);
    expect(r.stderr).toBe(`[postman-oauth-kit] ${message.replace('DIR', dir)}\n`);
    expect(r.code).toBe(code);
    expect(readFileSync(path.join(dir, 'in.postman_collection.json'), 'utf8')).toBe(before);
    expect(existsSync(path.join(dir, 'o.json'))).toBe(false);
  });

  it('refuses a read-only output folder without leaving temporary files', async () => {
    if (process.getuid?.() === 0) {
      // root ignores directory permissions; use a path below a file instead, which fails for everyone
      writeFileSync(path.join(dir, 'afile'), 'x');
      const r = await cli(['inject', 'in.postman_collection.json', '-o', 'afile/o.json', '--token-url', 'https://x/t'], dir);
      expect(r.code).toBe(4);
      expect(r.stderr).toBe(`[postman-oauth-kit] cannot write afile/o.json: the folder ${dir}/afile is not a folder. Create it first.\n`);
      return;
    }
    const ro = tempDir();
    chmodSync(ro, 0o500);
    const r = await cli(['inject', path.join(dir, 'in.postman_collection.json'), '-o', path.join(ro, 'o.json'), '--token-url', 'https://x/t'], dir);
    expect(r.code).toBe(4);
    expect(readdirSync(ro)).toEqual([]);
  });
});
