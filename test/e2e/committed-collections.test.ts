import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { COLLECTIONS, requireBuilt } from '../helpers/paths.ts';
import { cli, tempDir } from '../helpers/cli.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

/** Must match the "collections" script in package.json. */
const SAMPLE_FLAGS = ['--provider', 'genesys', '--region', 'mypurecloud.com'];

describe('committed augmented sample', () => {
  it('is what the current build produces (run "npm run collections" after changing scripts-src/)', async () => {
    requireBuilt();
    const pkg = JSON.parse(readFileSync(path.join(COLLECTIONS, '..', 'package.json'), 'utf8')) as { scripts: Record<string, string> };
    expect(pkg.scripts['collections']).toContain(SAMPLE_FLAGS.join(' '));
    const dir = tempDir();
    const out = path.join(dir, 'fresh.json');
    const r = await cli(['inject', path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'), '-o', out, ...SAMPLE_FLAGS], dir);
    expect(r.code).toBe(0);
    const committed = readFileSync(path.join(COLLECTIONS, 'genesys-sample.oauth.postman_collection.json'), 'utf8');
    expect(committed === readFileSync(out, 'utf8'), 'collections/genesys-sample.oauth.postman_collection.json is stale: run "npm run build && npm run collections" and commit it').toBe(true);
    expect(collectionSchemaErrors(JSON.parse(committed))).toEqual([]);
  });

  it('holds no secret: only vault references for credentials, an empty token', () => {
    const committed = JSON.parse(readFileSync(path.join(COLLECTIONS, 'genesys-sample.oauth.postman_collection.json'), 'utf8')) as {
      variable: Array<{ key: string; value: string }>;
    };
    const value = (key: string) => committed.variable.find((v) => v.key === key)?.value;
    expect(value('oauth_client_id')).toBe('{{vault:oauth-client-id}}');
    expect(value('oauth_client_secret')).toBe('{{vault:oauth-client-secret}}');
    expect(value('oauth_access_token')).toBe('');
    expect(JSON.stringify(committed)).not.toContain('demo-client-secret');
  });
});
