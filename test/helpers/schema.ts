import { readFileSync } from 'node:fs';
import { Ajv, type ValidateFunction } from 'ajv';
import { sharedFile } from './paths.ts';

let validator: ValidateFunction | undefined;

/** Validates against the official Postman collection v2.1.0 JSON schema in ../shared. */
export function collectionSchemaErrors(collection: unknown): string[] {
  if (!validator) {
    const schema = JSON.parse(readFileSync(sharedFile('postman/collection-v2.1.0.schema.json'), 'utf8')) as Record<string, unknown>;
    delete schema['$schema'];
    const ajv = new Ajv({ strict: false, allErrors: true, validateSchema: false });
    validator = ajv.compile(schema);
  }
  if (validator(collection)) return [];
  return (validator.errors ?? []).slice(0, 10).map((e) => `${e.instancePath || '/'} ${e.message ?? ''}`);
}
