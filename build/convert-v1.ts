import { createRequire } from 'node:module';
import { CliError, EXIT } from './errors.ts';

interface Transformer {
  convert(
    collection: unknown,
    options: { inputVersion: string; outputVersion: string; retainIds: boolean },
    callback: (error: Error | null, result: unknown) => void,
  ): unknown;
}

const require = createRequire(import.meta.url);

/** True for a Postman collection in the old v1 format: top-level `requests`, no `info` object. */
export function isCollectionV1(data: unknown): boolean {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) return false;
  const d = data as Record<string, unknown>;
  const info = d['info'];
  return Array.isArray(d['requests']) && (info === null || typeof info !== 'object');
}

/**
 * Converts a v1 collection to v2.1 with Postman's own `postman-collection-transformer`
 * (ids kept), so the builder can augment it. The input object is not modified.
 */
export function convertV1ToV21(data: unknown, file: string): Record<string, unknown> {
  const requests = (data as Record<string, unknown>)['requests'] as unknown[];
  const bad = requests.findIndex((r) => r === null || typeof r !== 'object' || Array.isArray(r));
  if (bad >= 0) {
    throw new CliError(
      'COLLECTION_V1',
      `${file} is a collection in the old v1 format, but entry ${bad + 1} of its "requests" is not a request object, so it cannot be converted. Re-export it from Postman as "Collection v2.1" and try again.`,
      EXIT.input,
      { file },
    );
  }
  const transformer = require('postman-collection-transformer') as Transformer;
  let result: unknown;
  let failure: Error | null = null;
  try {
    transformer.convert(structuredClone(data), { inputVersion: '1.0.0', outputVersion: '2.1.0', retainIds: true }, (error, converted) => {
      failure = error;
      result = converted;
    });
  } catch (error) {
    failure = error instanceof Error ? error : new Error(String(error));
  }
  const converted = result as Record<string, unknown> | undefined;
  if (failure || !converted || !Array.isArray(converted['item'])) {
    const reason = (failure as Error | null)?.message ?? 'no items came out';
    throw new CliError(
      'COLLECTION_V1',
      `${file} is a collection in the old v1 format and converting it to v2.1 failed (${reason}). Re-export it from Postman as "Collection v2.1" and try again.`,
      EXIT.input,
      { file },
    );
  }
  return converted;
}
