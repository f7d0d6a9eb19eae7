import { createHash } from 'node:crypto';
import { existsSync, mkdirSync, readFileSync, renameSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { createRequire } from 'node:module';
import { BENCH_CACHE, GENESYS_SWAGGER, ROOT } from './paths.ts';
import { SCHEMA_V21 } from './collections.ts';

export interface InputCollection {
  name: string;
  file: string;
  requests: number;
  bytes: number;
  /** `inject` options that fit this collection. */
  injectOptions: string[];
}

const require = createRequire(path.join(ROOT, 'package.json'));

function writeAtomic(file: string, content: string): void {
  mkdirSync(path.dirname(file), { recursive: true });
  writeFileSync(`${file}.tmp`, content);
  renameSync(`${file}.tmp`, file);
}

export function countRequests(items: unknown): number {
  if (!Array.isArray(items)) return 0;
  let n = 0;
  for (const item of items as Array<Record<string, unknown>>) {
    if (Array.isArray(item['item'])) n += countRequests(item['item']);
    else if (item['request'] !== undefined) n++;
  }
  return n;
}

interface Converter {
  convert(
    input: { type: 'file'; data: string },
    options: Record<string, unknown>,
    cb: (error: Error | null, result: { result: boolean; reason?: string; output: Array<{ data: unknown }> }) => void,
  ): void;
}

/**
 * The Genesys Cloud Platform API as a Postman collection, converted from
 * ../shared/genesys/platform-api-swagger-2018.json by openapi-to-postmanv2
 * (about 10 s) and cached in .tmp/bench-cache keyed by the input's hash and the
 * converter's version.
 */
export async function genesysCollection(log: (s: string) => void): Promise<InputCollection | { skipped: string }> {
  if (!existsSync(GENESYS_SWAGGER)) return { skipped: `${GENESYS_SWAGGER} is absent (the project's shared folder)` };
  const swagger = readFileSync(GENESYS_SWAGGER);
  const converterVersion = (require('openapi-to-postmanv2/package.json') as { version: string }).version;
  const key = createHash('sha256').update(swagger).update(converterVersion).digest('hex').slice(0, 12);
  const file = path.join(BENCH_CACHE, `genesys-platform-api-${key}.postman_collection.json`);
  if (!existsSync(file)) {
    log(`  converting ${path.basename(GENESYS_SWAGGER)} with openapi-to-postmanv2 ${converterVersion} (cached afterwards)...`);
    const converter = require('openapi-to-postmanv2') as Converter;
    const data = await new Promise<unknown>((resolve, reject) =>
      converter.convert({ type: 'file', data: GENESYS_SWAGGER }, {}, (error, result) => {
        if (error) return reject(error);
        if (!result.result) return reject(new Error(`openapi-to-postmanv2: ${result.reason ?? 'conversion failed'}`));
        resolve(result.output[0]?.data);
      }),
    );
    // Postman's own exports indent with tabs.
    writeAtomic(file, JSON.stringify(data, null, '\t'));
  }
  const text = readFileSync(file, 'utf8');
  return {
    name: 'Genesys Platform API',
    file,
    requests: countRequests((JSON.parse(text) as { item: unknown }).item),
    bytes: Buffer.byteLength(text),
    injectOptions: ['--provider', 'genesys', '--region', 'mypurecloud.com'],
  };
}

const SYNTHETIC_VERSION = 1;

/** One request shaped like openapi-to-postmanv2's output (headers, url parts, query, body, description). */
function syntheticRequest(i: number): Record<string, unknown> {
  const post = i % 3 === 0;
  const resource = `resource${i % 97}`;
  return {
    name: `${post ? 'Create' : 'Get'} ${resource} ${i}`,
    request: {
      method: post ? 'POST' : 'GET',
      header: [
        { key: 'Accept', value: 'application/json' },
        ...(post ? [{ key: 'Content-Type', value: 'application/json' }] : []),
      ],
      url: {
        raw: `{{baseUrl}}/api/v2/${resource}/items/${i}?pageSize=25&pageNumber=1`,
        host: ['{{baseUrl}}'],
        path: ['api', 'v2', resource, 'items', String(i)],
        query: [
          { key: 'pageSize', value: '25', description: 'Page size' },
          { key: 'pageNumber', value: '1', description: 'Page number' },
        ],
      },
      ...(post
        ? { body: { mode: 'raw', raw: JSON.stringify({ name: `item ${i}`, description: 'synthetic', enabled: true }, null, 2), options: { raw: { language: 'json' } } } }
        : {}),
      description: `Synthetic request ${i}: ${post ? 'creates' : 'reads'} one ${resource} item.`,
    },
    response: [],
  };
}

/** A collection of `count` requests in folders of 100, cached in .tmp/bench-cache. */
export function syntheticCollection(count: number): InputCollection {
  const file = path.join(BENCH_CACHE, `synthetic-${count}-v${SYNTHETIC_VERSION}.postman_collection.json`);
  if (!existsSync(file)) {
    const folders = [];
    for (let start = 0; start < count; start += 100) {
      const items = [];
      for (let i = start; i < Math.min(count, start + 100); i++) items.push(syntheticRequest(i + 1));
      folders.push({ name: `folder ${start / 100 + 1}`, item: items });
    }
    const collection = {
      info: { name: `synthetic ${count}`, schema: SCHEMA_V21 },
      item: folders,
      variable: [{ key: 'baseUrl', value: 'https://api.example.com', type: 'string' }],
    };
    writeAtomic(file, JSON.stringify(collection, null, '\t'));
  }
  return {
    name: `synthetic ${count / 1000}k`,
    file,
    requests: count,
    bytes: statSync(file).size,
    injectOptions: ['--token-url', 'https://login.example.com/oauth/token'],
  };
}
