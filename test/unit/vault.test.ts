import { describe, expect, it } from 'vitest';
import { OAuthKitError } from '../../scripts-src/errors.ts';
import { resolveSecret, vaultEnvName, vaultKeyOf } from '../../scripts-src/vault.ts';
import { fakeSandbox } from '../helpers/fake-sandbox.ts';

async function rejection(promise: Promise<unknown>): Promise<OAuthKitError> {
  try {
    await promise;
  } catch (error) {
    expect(error).toBeInstanceOf(OAuthKitError);
    return error as OAuthKitError;
  }
  throw new Error('expected a rejection');
}

const REF = '{{vault:oauth-client-secret}}';

describe('vault references', () => {
  it('recognises {{vault:key}} and nothing else', () => {
    expect(vaultKeyOf('{{vault:oauth-client-secret}}')).toBe('oauth-client-secret');
    expect(vaultKeyOf(' {{vault:gc.secret}} ')).toBe('gc.secret');
    expect(vaultKeyOf('{{secret}}')).toBeUndefined();
    expect(vaultKeyOf('abc{{vault:x}}')).toBeUndefined();
  });

  it('maps vault keys to POSTMAN_VAULT_ environment names', () => {
    expect(vaultEnvName('gc-client-secret')).toBe('POSTMAN_VAULT_GC_CLIENT_SECRET');
    expect(vaultEnvName('oauth.client id')).toBe('POSTMAN_VAULT_OAUTH_CLIENT_ID');
  });
});

describe('resolveSecret: resolution order', () => {
  it('1. reads Postman Vault where pm.vault exists', async () => {
    const sb = fakeSandbox({ 'vault:oauth-client-secret': 'from-variable' }, { vault: { 'oauth-client-secret': 'from-vault' } });
    expect(await resolveSecret(sb, 'oauth_client_secret', REF)).toBe('from-vault');
  });

  it('2. falls back to a variable named vault:key (newman --env-var) when the vault has no value', async () => {
    const sb = fakeSandbox({ 'vault:oauth-client-secret': 'from-variable' }, { vault: {} });
    expect(await resolveSecret(sb, 'oauth_client_secret', REF)).toBe('from-variable');
  });

  it('2b. uses the vault:key variable in newman, which has no pm.vault', async () => {
    const sb = fakeSandbox({ 'vault:oauth-client-secret': 'from-variable' });
    expect(await resolveSecret(sb, 'oauth_client_secret', REF)).toBe('from-variable');
  });

  it('2c. uses the vault:key variable when vault access is denied', async () => {
    const sb = fakeSandbox({ 'vault:oauth-client-secret': 'from-variable' }, { vault: 'denied' });
    expect(await resolveSecret(sb, 'oauth_client_secret', REF)).toBe('from-variable');
  });

  it('resolves {{variables}} in a value that is not a vault reference', async () => {
    const sb = fakeSandbox({ myClientId: 'client-123' });
    expect(await resolveSecret(sb, 'oauth_client_id', '{{myClientId}}')).toBe('client-123');
    expect(await resolveSecret(sb, 'oauth_client_id', 'literal-id')).toBe('literal-id');
  });

  it('says how to enable vault access when the app denies it', async () => {
    const error = await rejection(resolveSecret(fakeSandbox({}, { vault: 'denied' }), 'oauth_client_secret', REF));
    expect(error.code).toBe('VAULT_ACCESS_DENIED');
    expect(error.message).toBe(
      'Postman Vault denied this script access to "oauth-client-secret" (Vault access denied). In Postman open Vault, select Settings, turn on "Enable support in scripts" and allow this collection access, then send the request again.',
    );
  });

  it('names the vault key and the ways to supply it when nothing has a value', async () => {
    const error = await rejection(resolveSecret(fakeSandbox(), 'oauth_client_secret', REF));
    expect(error.code).toBe('SECRET_MISSING');
    expect(error.message).toBe(
      'no value for the vault secret "oauth-client-secret" (used by "oauth_client_secret"). In the Postman app add a secret named "oauth-client-secret" to Postman Vault. With newman pass --env-var "vault:oauth-client-secret=<value>" (or define a variable named "vault:oauth-client-secret" in an environment).',
    );
    expect(error.cause).toEqual({ variable: 'oauth_client_secret', vaultKey: 'oauth-client-secret' });
  });

  it('does not accept a vault:key variable that is itself an unresolved reference', async () => {
    const sb = fakeSandbox({ 'vault:oauth-client-secret': '{{vault:oauth-client-secret}}' });
    expect((await rejection(resolveSecret(sb, 'oauth_client_secret', REF))).code).toBe('SECRET_MISSING');
  });

  it('names an undefined variable in a non-vault value', async () => {
    const error = await rejection(resolveSecret(fakeSandbox(), 'oauth_client_secret', '{{mySecret}}'));
    expect(error.message).toBe(
      '"oauth_client_secret" refers to the variable "mySecret", which is not defined. Define it, or set "oauth_client_secret" to a vault reference such as {{vault:oauth-client-secret}}.',
    );
  });
});
