import { createHash } from 'node:crypto';

/** One value of a Postman environment file. */
export interface EnvironmentValue {
  key: string;
  value: string;
  type: 'default' | 'secret';
  enabled: true;
  description?: string;
}

/** A Postman environment as the app exports it (and imports it). */
export interface PostmanEnvironment {
  id: string;
  name: string;
  values: EnvironmentValue[];
  _postman_variable_scope: 'environment';
  _postman_exported_using: string;
}

/** A stable UUID-shaped id from the name, so regenerating a file gives the same bytes. */
function stableId(name: string): string {
  const hex = createHash('sha1').update(`postman-oauth-kit environment\n${name}`).digest('hex');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-5${hex.slice(13, 16)}-${((parseInt(hex.slice(16, 18), 16) & 0x3f) | 0x80).toString(16)}${hex.slice(18, 20)}-${hex.slice(20, 32)}`;
}

export function postmanEnvironment(name: string, values: EnvironmentValue[], version: string): PostmanEnvironment {
  return {
    id: stableId(name),
    name,
    values,
    _postman_variable_scope: 'environment',
    _postman_exported_using: `postman-oauth-kit/${version}`,
  };
}
