import { readFileSync } from 'node:fs';
import path from 'node:path';
import { injectIntoCollection, type InjectOptions } from '../../build/inject.ts';
import { COLLECTIONS, DIST_AFTER_RESPONSE, DIST_SCRIPT, requireBuilt } from './paths.ts';

/** The built bundle (dist/), which the end-to-end tests run instead of the sources. */
export function builtBundle() {
  requireBuilt();
  return { code: readFileSync(DIST_SCRIPT, 'utf8'), afterResponse: readFileSync(DIST_AFTER_RESPONSE, 'utf8'), version: 'test' };
}

export function readJson<T = Record<string, unknown>>(file: string): T {
  return JSON.parse(readFileSync(file, 'utf8')) as T;
}

/** The hand-made Genesys sample collection, fresh from disk. */
export function sampleCollection(): Record<string, unknown> {
  return readJson(path.join(COLLECTIONS, 'genesys-sample.postman_collection.json'));
}

/** A fresh copy of the sample, augmented with the built bundle. */
export function augmentedSample(options: InjectOptions = { provider: 'genesys', region: 'mypurecloud.ie' }) {
  const collection = sampleCollection();
  injectIntoCollection(collection, builtBundle(), options, 'genesys-sample.postman_collection.json');
  return collection;
}

/** A collection of `count` GET requests to the mock API, for counting token calls. */
export function requestsCollection(count: number, base = 'https://api.mypurecloud.ie'): Record<string, unknown> {
  return {
    info: { name: `${count} requests`, schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: Array.from({ length: count }, (_, i) => ({
      name: `request ${i + 1}`,
      request: { method: 'GET', url: `${base}/api/v2/tokens/me` },
      event: [
        {
          listen: 'test',
          script: { type: 'text/javascript', exec: ["pm.test('status is 200', () => pm.response.to.have.status(200));"] },
        },
      ],
    })),
  };
}

export const SECRET_ENV = [
  { key: 'vault:oauth-client-id', value: 'demo-client-id' },
  { key: 'vault:oauth-client-secret', value: 'demo-client-secret' },
];
