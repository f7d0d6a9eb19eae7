import { readFileSync } from 'node:fs';
import path from 'node:path';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { cli, tempDir } from '../helpers/cli.ts';
import { genesysCollectionFile } from '../helpers/genesys-collection.ts';
import { runCollection, startInProcessMock } from '../helpers/newman.ts';
import { requireBuilt } from '../helpers/paths.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';
import { SECRET_ENV } from '../helpers/collections.ts';

type Item = { name: string; item?: Item[]; request?: { method: string; auth?: { type: string } } };

let input: string;
let inputText: string;
let output: Record<string, unknown> & { item: Item[] };
let stdout: string;

function requests(items: Item[]): Item[] {
  return items.flatMap((i) => (i.item ? requests(i.item) : [i]));
}

beforeAll(async () => {
  requireBuilt();
  input = await genesysCollectionFile();
  inputText = readFileSync(input, 'utf8');
  const dir = tempDir();
  const r = await cli(['inject', input, '-o', path.join(dir, 'genesys.oauth.json'), '--provider', 'genesys', '--region', 'mypurecloud.ie'], dir);
  expect(r.stderr).toBe('');
  expect(r.code).toBe(0);
  stdout = r.stdout;
  output = JSON.parse(readFileSync(path.join(dir, 'genesys.oauth.json'), 'utf8'));
}, 120_000);

describe('the real Genesys Platform API collection (openapi-to-postmanv2, 966 requests)', () => {
  it('is augmented: every generated oauth2 request auth now inherits the token, the base URL follows the region', () => {
    expect(stdout).toMatch(/^wrote .*genesys\.oauth\.json \(966 requests, script \d+ bytes\)\n/);
    expect(stdout).toContain('variable baseUrl: https://api.mypurecloud.com -> https://api.{{environment}}');
    expect(stdout).toContain('966 folder/request oauth2 auth settings: removed, so they inherit the collection token');
    const all = requests(output.item);
    expect(all).toHaveLength(966);
    expect(all.filter((r) => r.request?.auth)).toEqual([]);
    expect(readFileSync(input, 'utf8')).toBe(inputText);
  });

  it('validates against the official collection v2.1.0 schema', () => {
    expect(collectionSchemaErrors(output)).toEqual([]);
  });

  describe('a sample of its requests through newman', () => {
    const mock = startInProcessMock();
    afterAll(() => mock.server.close());

    it('every sampled GET carries the one token fetched for the run', async () => {
      const gets = requests(output.item).filter((r) => r.request?.method === 'GET');
      const step = Math.floor(gets.length / 25);
      const sample = gets.filter((_, i) => i % step === 0).slice(0, 25);
      const collection = { ...output, item: sample };
      const result = await runCollection({ collection, envVar: SECRET_ENV });
      expect(result.error).toBeNull();
      expect(result.failures).toEqual([]);
      const api = mock.state.log.filter((e) => e.kind === 'api');
      expect(api).toHaveLength(25);
      expect(new Set(api.map((e) => `${e.host} ${e.status} ${e.tokenId}`))).toEqual(new Set(['api.mypurecloud.ie 200 t1']));
      expect(mock.state.stats().tokenCalls).toBe(1);
    });
  });
});
