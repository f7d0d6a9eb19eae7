/**
 * Fuzz test of the builder: mutated collections (structural and textual) go
 * through the real `inject` command. Each run must end in either a written
 * collection (schema-valid when the input was; untouched outside auth, variable
 * and event) or a clean prefixed error with a documented exit code: never a
 * crash, an "internal error", or a changed input file.
 */
import { createHash } from 'node:crypto';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import fc from 'fast-check';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from '../../build/cli.ts';
import { EXIT } from '../../build/errors.ts';
import { sampleCollection } from '../helpers/collections.ts';
import { requireBuilt } from '../helpers/paths.ts';
import { collectionSchemaErrors } from '../helpers/schema.ts';

requireBuilt();
const dir = mkdtempSync(path.join(tmpdir(), 'oauth-kit-fuzz-'));
afterAll(() => rmSync(dir, { recursive: true, force: true }));

type Json = null | boolean | number | string | Json[] | { [key: string]: Json };
const OWNED = new Set(['auth', 'variable', 'event']);

const jsonValue: fc.Arbitrary<Json> = fc.jsonValue({ maxDepth: 3 }) as fc.Arbitrary<Json>;

/** Values aimed at the parts the builder edits. */
const ownedValue: fc.Arbitrary<Json> = fc.oneof(
  jsonValue,
  fc.constantFrom<Json>(
    { type: 'basic', basic: [] },
    { type: 'bearer', bearer: [{ key: 'token', value: 'x' }] },
    { type: 'noauth' },
    { type: 42 },
    [{ key: 'oauth_scope', value: 'a' }, { key: 'oauth_scope', value: 'b' }],
    [{ key: 'oauth_token_url', value: 'not a url' }],
    [{ key: 'oauth_token_url', value: 5 }],
    [null, 1, 'x'],
    [{ listen: 'prerequest', script: { exec: 'console.log(1)' } }],
    [{ listen: 'prerequest', script: null }, { listen: 'test', script: { exec: 7 } }],
    [{ listen: 'test' }, 'junk'],
  ),
);

type Mutation =
  | { kind: 'set'; key: string; value: Json }
  | { kind: 'delete'; key: string }
  | { kind: 'wrap' }
  | { kind: 'truncate'; at: number }
  | { kind: 'insert'; at: number; text: string };

const mutation: fc.Arbitrary<Mutation> = fc.oneof(
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('auth', 'variable', 'event'), value: ownedValue }),
  fc.record({ kind: fc.constant('set' as const), key: fc.constantFrom('info', 'item', 'requests', '_postman_variable_scope'), value: jsonValue }),
  fc.record({ kind: fc.constant('delete' as const), key: fc.constantFrom('info', 'item', 'auth', 'variable', 'event') }),
  fc.record({ kind: fc.constant('wrap' as const) }),
  fc.record({ kind: fc.constant('truncate' as const), at: fc.nat() }),
  fc.record({ kind: fc.constant('insert' as const), at: fc.nat(), text: fc.constantFrom('{', '}', '"', ',', 'x', '\u0000', '[', '\\') }),
);

function apply(base: Record<string, Json>, mutations: Mutation[]): string {
  let data: Json = structuredClone(base);
  let text: string | undefined;
  for (const m of mutations) {
    if (m.kind === 'truncate' || m.kind === 'insert') {
      text ??= JSON.stringify(data, null, 2);
      const at = m.at % (text.length + 1);
      text = m.kind === 'truncate' ? text.slice(0, at) : text.slice(0, at) + m.text + text.slice(at);
      continue;
    }
    if (text !== undefined) continue;
    if (m.kind === 'wrap') data = [data];
    else if (data && typeof data === 'object' && !Array.isArray(data)) {
      if (m.kind === 'set') data[m.key] = m.value;
      else delete data[m.key];
    }
  }
  return text ?? JSON.stringify(data, null, 2);
}

function hash(text: string | Buffer): string {
  return createHash('sha256').update(text).digest('hex');
}

describe('builder fuzz', () => {
  it('mutated collections give a valid collection or a clean error, never a crash or a changed input', async () => {
    const base = sampleCollection() as Record<string, Json>;
    let n = 0;
    const outcomes = { written: 0, refused: 0 };
    await fc.assert(
      fc.asyncProperty(fc.array(mutation, { minLength: 1, maxLength: 3 }), async (mutations) => {
        n++;
        const text = apply(base, mutations);
        const input = path.join(dir, `in-${n}.json`);
        const output = path.join(dir, `out-${n}.json`);
        writeFileSync(input, text);
        const before = hash(readFileSync(input));
        let stdout = '';
        let stderr = '';
        const code = await runCli(
          ['inject', input, '-o', output, '--token-url', 'https://login.mypurecloud.ie/oauth/token'],
          { stdout: (t) => (stdout += t), stderr: (t) => (stderr += t), cwd: dir, env: {} },
        );
        expect(hash(readFileSync(input))).toBe(before);
        if (code === EXIT.ok) {
          outcomes.written++;
          expect(stderr).toBe('');
          const written = JSON.parse(readFileSync(output, 'utf8')) as Record<string, Json>;
          let parsedInput: Record<string, Json> | undefined;
          try {
            parsedInput = JSON.parse(text) as Record<string, Json>;
          } catch {
            parsedInput = undefined;
          }
          expect(parsedInput).toBeDefined();
          if (collectionSchemaErrors(parsedInput).length === 0) expect(collectionSchemaErrors(written)).toEqual([]);
          for (const key of Object.keys(parsedInput!)) {
            if (!OWNED.has(key)) expect(written[key]).toEqual(parsedInput![key]);
          }
        } else {
          outcomes.refused++;
          expect([EXIT.usage, EXIT.input, EXIT.output]).toContain(code);
          expect(stderr).toMatch(/^\[postman-oauth-kit\] \S/);
          expect(stderr).not.toContain('internal error');
          expect(stderr.trim().split('\n')).toHaveLength(1);
          expect(existsSync(output)).toBe(false);
        }
        rmSync(input);
        rmSync(output, { force: true });
      }),
      { numRuns: 250, seed: Number(process.env['FUZZ_SEED'] ?? 20261204) },
    );
    // Both outcomes must actually occur, or the fuzzer is not exercising anything.
    expect(outcomes.written).toBeGreaterThan(10);
    expect(outcomes.refused).toBeGreaterThan(10);
  });
});
