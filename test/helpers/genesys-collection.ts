import { existsSync, mkdirSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import Converter from 'openapi-to-postmanv2';
import { ROOT, sharedFile } from './paths.ts';

const CACHE = path.join(ROOT, '.cache');

/**
 * The real Genesys Cloud Platform API collection (966 requests, ~17 MB), made
 * from ../shared/genesys/platform-api-swagger-2018.json with openapi-to-postmanv2
 * exactly as a user would, cached in .cache/ (keyed by the description's size and
 * modification time) because the conversion takes about 10 s.
 */
export async function genesysCollectionFile(): Promise<string> {
  const spec = sharedFile('genesys/platform-api-swagger-2018.json');
  const stat = statSync(spec);
  const file = path.join(CACHE, `genesys-platform-api-${stat.size}-${Math.floor(stat.mtimeMs)}.postman_collection.json`);
  if (existsSync(file)) return file;
  const data = readFileSync(spec, 'utf8');
  const collection = await new Promise<unknown>((resolve, reject) => {
    Converter.convert({ type: 'string', data }, { folderStrategy: 'Tags' }, (error, result) => {
      if (error) return reject(error);
      if (!result || !result.result || !result.output?.[0]) return reject(new Error(`openapi-to-postmanv2 failed: ${result?.reason ?? 'no output'}`));
      resolve(result.output[0].data);
    });
  });
  mkdirSync(CACHE, { recursive: true });
  writeFileSync(file, JSON.stringify(collection, null, 2) + '\n');
  return file;
}
