/**
 * Builder input hardening (issue 4): every bad input gets a specific message and
 * exit code, no output file, and the input byte-for-byte unchanged.
 */
import { createHash } from 'node:crypto';
import { chmodSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync, statSync, truncateSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../build/cli.ts';
import { EXIT } from '../../build/errors.ts';
import { BEGIN_MARKER } from '../../build/inject.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';
import { requireBuilt } from '../helpers/paths.ts';

requireBuilt();
const dir = mkdtempSync(path.join(tmpdir(), 'oauth-kit-hardening-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

const V21 = 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json';

async function cli(args: string[]) {
  let stdout = '';
  let stderr = '';
  const code = await runCli(args, { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, env: {} });
  return { code, stdout, stderr };
}

function hash(file: string): string {
  return createHash('sha256').update(readFileSync(file)).digest('hex');
}

function write(name: string, content: string): string {
  const file = path.join(dir, name);
  writeFileSync(file, content);
  return file;
}

interface BadInput {
  name: string;
  content: string;
  args?: string[];
  code: number;
  message: string;
}

const BAD_INPUTS: BadInput[] = [
  {
    name: 'truncated.json',
    content: '{"info": {"name": "x", "schema": "' + V21 + '"}, "item": [',
    code: EXIT.input,
    message: 'truncated.json is not valid JSON: the file ends early (truncated?) at line 1, column 116. Fix the file or export it again.',
  },
  {
    name: 'invalid.json',
    content: '{\n  "info": {"name": "x"},\n  "item": [],\n  "variable": [{"key": "k", "value": secret-value}]\n}\n',
    code: EXIT.input,
    message: 'invalid.json is not valid JSON: unexpected "s" where a value should be at line 4, column 38. Fix the file or export it again.',
  },
  { name: 'empty.json', content: '', code: EXIT.input, message: 'empty.json is not valid JSON: the file ends early (truncated?) at line 1, column 1. Fix the file or export it again.' },
  {
    name: 'array.json',
    content: '[{"info": {"name": "x"}, "item": []}]',
    code: EXIT.input,
    message: 'array.json is not a Postman collection: it is a JSON array. Export it from Postman with "Export" > "Collection v2.1" and try again.',
  },
  {
    name: 'environment.json',
    content: '{"name": "env", "values": [], "_postman_variable_scope": "environment"}',
    code: EXIT.input,
    message: 'environment.json is not a Postman collection: it is a Postman environment or globals file. Export it from Postman with "Export" > "Collection v2.1" and try again.',
  },
  {
    name: 'v1-broken.json',
    content: '{"id": "c1", "name": "Old", "requests": [null]}',
    code: EXIT.input,
    message:
      'v1-broken.json is a collection in the old v1 format, but entry 1 of its "requests" is not a request object, so it cannot be converted. Re-export it from Postman as "Collection v2.1" and try again.',
  },
  {
    name: 'duplicate.json',
    content: JSON.stringify({
      info: { name: 'd', schema: V21 },
      item: [],
      variable: [
        { key: 'oauth_scope', value: 'a' },
        { key: 'oauth_scope', value: 'b' },
      ],
    }),
    code: EXIT.input,
    message: 'duplicate.json defines the collection variable "oauth_scope" 2 times. Keep one (Postman uses the last) and run again.',
  },
  {
    name: 'basic-auth.json',
    content: JSON.stringify({ info: { name: 'd', schema: V21 }, item: [], auth: { type: 'basic', basic: [] } }),
    code: EXIT.input,
    message:
      'basic-auth.json already has collection-level auth of type "basic". The OAuth token would replace it; pass --replace-auth to do that, or remove the collection auth first.',
  },
  {
    name: 'schema-v3.json',
    content: JSON.stringify({ info: { name: 'd', schema: 'https://schema.getpostman.com/json/collection/v3.0.0/collection.json' }, item: [] }),
    code: EXIT.input,
    message:
      'schema-v3.json declares the collection schema "https://schema.getpostman.com/json/collection/v3.0.0/collection.json"; only v2.0.0 and v2.1.0 are supported. Re-export it as "Collection v2.1".',
  },
  {
    name: 'secret-in-input.json',
    content: JSON.stringify({ info: { name: 'd', schema: V21 }, item: [], variable: [{ key: 'oauth_client_secret', value: 'secret-value-in-file' }] }),
    code: EXIT.input,
    message:
      'secret-in-input.json holds a literal client secret in the collection variable "oauth_client_secret", which would be copied into the output. Store the secret in Postman Vault and pass --client-secret "{{vault:oauth-client-secret}}" (newman: --global-var "vault:oauth-client-secret=..."), or pass --allow-literal-secret to keep it.',
  },
  {
    name: 'literal-secret.json',
    content: JSON.stringify({ info: { name: 'd', schema: V21 }, item: [] }),
    args: ['--client-secret', 'my-literal-secret'],
    code: EXIT.usage,
    message:
      '--client-secret was given a literal value, which would be written into the output collection. Use a vault reference such as --client-secret "{{vault:oauth-client-secret}}" and store the secret in Postman Vault (newman: --env-var "vault:oauth-client-secret=..."), or pass --allow-literal-secret if you really want it in the file.',
  },
];

describe('inject refuses bad input with a specific message and exit code, leaving the input unchanged', () => {
  it.each(BAD_INPUTS)('$name', async (c) => {
    const input = write(c.name, c.content);
    const before = hash(input);
    const out = path.join(dir, `out-${c.name}`);
    const run = await cli(['inject', c.name, '-o', out, '--token-url', 'https://auth.example.com/token', ...(c.args ?? [])]);
    expect(run.code).toBe(c.code);
    expect(run.stderr).toBe(`[postman-oauth-kit] ${c.message}\n`);
    expect(run.stdout).toBe('');
    expect(existsSync(out)).toBe(false);
    expect(hash(input)).toBe(before);
    expect(run.stderr).not.toContain('secret-value');
  });

  it('an input of hundreds of megabytes is refused before it is read', async () => {
    const input = path.join(dir, 'huge.json');
    writeFileSync(input, '');
    truncateSync(input, 300 * 1024 * 1024);
    const { mtimeMs, size } = statSync(input);
    const run = await cli(['inject', 'huge.json', '-o', path.join(dir, 'huge-out.json'), '--token-url', 'https://auth.example.com/token']);
    expect(run.code).toBe(EXIT.input);
    expect(run.stderr).toBe(
      `[postman-oauth-kit] huge.json is 300.0 MB; the builder reads collections of up to 128.0 MB. Export the collection without saved responses and embedded files, or split it into smaller collections.\n`,
    );
    expect(statSync(input)).toMatchObject({ mtimeMs, size });
    expect(existsSync(path.join(dir, 'huge-out.json'))).toBe(false);
    rmSync(input);
  });
});

const good = () => write('good.json', JSON.stringify({ info: { name: 'g', schema: V21 }, item: [] }, null, 2));

describe('output folder problems', () => {
  it('a missing output folder', async () => {
    const input = good();
    const before = hash(input);
    const out = path.join(dir, 'no-such-folder', 'out.json');
    const run = await cli(['inject', 'good.json', '-o', out, '--token-url', 'https://auth.example.com/token']);
    expect(run.code).toBe(EXIT.output);
    expect(run.stderr).toBe(`[postman-oauth-kit] cannot write ${out}: the folder ${path.dirname(out)} does not exist. Create it first.\n`);
    expect(hash(input)).toBe(before);
  });

  it('a read-only output folder', async () => {
    const input = good();
    const before = hash(input);
    // Root ignores directory permissions; /sys refuses new files even to root.
    const readOnly = process.getuid?.() === 0 ? '/sys' : path.join(dir, 'read-only');
    if (readOnly !== '/sys') {
      mkdirSync(readOnly, { recursive: true });
      chmodSync(readOnly, 0o555);
    }
    const out = path.join(readOnly, 'out.json');
    const run = await cli(['inject', 'good.json', '-o', out, '--token-url', 'https://auth.example.com/token']);
    expect(run.code).toBe(EXIT.output);
    expect(run.stderr).toBe(`[postman-oauth-kit] cannot write ${out}: permission denied in ${readOnly}. Choose another output path.\n`);
    expect(existsSync(out)).toBe(false);
    expect(hash(input)).toBe(before);
  });
});

describe('accepted after an explicit choice or conversion', () => {
  it('converts a v1 collection with postman-collection-transformer and augments it (input unchanged)', async () => {
    const v1 = {
      id: 'c1',
      name: 'Old collection',
      order: ['r1'],
      folders: [],
      requests: [
        { id: 'r1', name: 'Get token info', url: 'https://api.mypurecloud.ie/api/v2/tokens/me', method: 'GET', headers: 'Accept: application/json\n', collectionId: 'c1' },
      ],
    };
    const input = write('v1.json', JSON.stringify(v1));
    const before = hash(input);
    const out = path.join(dir, 'v1-out.json');
    const run = await cli(['inject', 'v1.json', '-o', out, '--token-url', 'https://auth.example.com/token']);
    expect(run.stderr).toBe('');
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('  converted from collection format v1 to v2.1 (postman-collection-transformer)\n');
    const written = JSON.parse(readFileSync(out, 'utf8')) as Record<string, any>;
    expect(collectionSchemaErrors(written)).toEqual([]);
    expect(written['info'].schema).toBe(V21);
    expect(written['item'][0].name).toBe('Get token info');
    expect(written['event'].map((e: any) => [e.listen, e.script.exec[0].startsWith(BEGIN_MARKER)])).toEqual([
      ['prerequest', true],
      ['test', true],
    ]);
    expect(hash(input)).toBe(before);
  });

  it('a literal secret in the input is replaced by a vault reference given with --client-secret', async () => {
    write('secret2.json', JSON.stringify({ info: { name: 'd', schema: V21 }, item: [], variable: [{ key: 'oauth_client_secret', value: 'secret-value-in-file' }] }));
    const out = path.join(dir, 'secret2-out.json');
    const run = await cli(['inject', 'secret2.json', '-o', out, '--token-url', 'https://auth.example.com/token', '--client-secret', '{{vault:oauth-client-secret}}']);
    expect(run.code).toBe(EXIT.ok);
    expect(readFileSync(out, 'utf8')).not.toContain('secret-value-in-file');
  });

  it('a token cached in the input collection is cleared in the output', async () => {
    write('cached.json', JSON.stringify({ info: { name: 'd', schema: V21 }, item: [], variable: [{ key: 'oauth_access_token', value: 'eyJhbGciOi.cached.token' }] }));
    const out = path.join(dir, 'cached-out.json');
    const run = await cli(['inject', 'cached.json', '-o', out, '--token-url', 'https://auth.example.com/token']);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('  variable oauth_access_token: cleared (a token is never stored in the collection file)\n');
    expect(readFileSync(out, 'utf8')).not.toContain('cached.token');
  });

  it('--replace-auth replaces a basic collection auth', async () => {
    write('basic2.json', JSON.stringify({ info: { name: 'd', schema: V21 }, item: [], auth: { type: 'basic', basic: [] } }));
    const run = await cli(['inject', 'basic2.json', '-o', path.join(dir, 'basic2-out.json'), '--token-url', 'https://auth.example.com/token', '--replace-auth']);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('  collection auth: basic -> bearer {{oauth_access_token}}\n');
  });

  it('running inject on its own output replaces both blocks instead of adding more', async () => {
    const input = good();
    const once = path.join(dir, 'once.json');
    const twice = path.join(dir, 'twice.json');
    await cli(['inject', 'good.json', '-o', once, '--token-url', 'https://auth.example.com/token']);
    const run = await cli(['inject', 'once.json', '-o', twice]);
    expect(run.code).toBe(EXIT.ok);
    expect(run.stdout).toContain('  collection pre-request script: replaced the postman-oauth-kit block\n');
    expect(run.stdout).toContain('  collection post-response script: replaced the postman-oauth-kit block\n');
    expect(readFileSync(twice, 'utf8')).toBe(readFileSync(once, 'utf8'));
    expect(existsSync(input)).toBe(true);
  });
});
