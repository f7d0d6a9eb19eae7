import { settingsFingerprint } from './fingerprint.ts';

/** The settings a cached token (and its refresh token) belongs to. */
export interface FingerprintSettings {
  grant: string;
  tokenUrl: string;
  scope: string | undefined;
  audience: string | undefined;
  clientAuth: string;
}

/**
 * Identifies the settings a cached token was obtained with, so that changing the
 * grant, token URL, client id, scope, audience or client authentication discards
 * it. `postman-oauth-kit login` computes the same value for the tokens it writes.
 */
export function configFingerprint(config: FingerprintSettings, clientId: string): string {
  return settingsFingerprint([config.grant, config.tokenUrl, clientId, config.scope, config.audience, config.clientAuth]);
}
