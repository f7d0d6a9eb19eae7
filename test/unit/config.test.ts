import { describe, expect, it } from 'vitest';
import { isHttpUrl, readConfig, readTokenStore } from '../../scripts-src/config.ts';
import { fakeSandbox } from '../helpers/fake-sandbox.ts';

const base = { oauth_token_url: 'https://login.{{environment}}/oauth/token', environment: 'mypurecloud.ie' };

function configError(vars: Record<string, string>): string {
  try {
    readConfig(fakeSandbox(vars));
  } catch (error) {
    return (error as Error).message;
  }
  throw new Error('expected readConfig to throw');
}

describe('readConfig', () => {
  it('resolves {{variables}} and applies defaults', () => {
    expect(readConfig(fakeSandbox(base))).toEqual({
      grant: 'client_credentials',
      tokenUrl: 'https://login.mypurecloud.ie/oauth/token',
      clientIdRaw: '{{vault:oauth-client-id}}',
      clientSecretRaw: '{{vault:oauth-client-secret}}',
      clientAuth: 'basic',
      scope: undefined,
      audience: undefined,
      refreshMarginSeconds: 60,
      defaultExpiresInSeconds: 3600,
      authorizeUrl: undefined,
      redirectUri: 'https://oauth.pstmn.io/v1/callback',
      usePkce: false,
      usernameRaw: '{{vault:oauth-username}}',
      passwordRaw: '{{vault:oauth-password}}',
    });
  });

  it('reads every setting', () => {
    const config = readConfig(
      fakeSandbox({
        ...base,
        oauth_client_id: 'abc',
        oauth_client_auth: 'post',
        oauth_scope: 'users:readonly',
        oauth_audience: 'api',
        oauth_refresh_margin: '0',
        oauth_default_expires_in: '900',
      }),
    );
    expect(config).toMatchObject({
      clientIdRaw: 'abc',
      clientAuth: 'post',
      scope: 'users:readonly',
      audience: 'api',
      refreshMarginSeconds: 0,
      defaultExpiresInSeconds: 900,
    });
  });

  it.each([
    [{ oauth_grant: 'password_x' }, '"oauth_grant" is "password_x"; use one of: client_credentials, authorization_code, pkce, implicit, password.'],
    [{ oauth_token_url: '' }, '"oauth_token_url" is not set. Set it to the token endpoint, e.g. https://login.mypurecloud.com/oauth/token.'],
    [{ oauth_token_url: 'login.mypurecloud.com/oauth/token' }, '"oauth_token_url" must be an absolute http(s) URL (got "login.mypurecloud.com/oauth/token").'],
    [{ oauth_token_url: 'https://login.{{region}}/oauth/token' }, '"oauth_token_url" refers to the variable "region", which is not defined. Define it in the collection or the active environment.'],
    [{ oauth_client_auth: 'jwt' }, '"oauth_client_auth" is "jwt"; use "basic" (Authorization header) or "post" (credentials in the form body).'],
    [{ oauth_refresh_margin: '-1' }, '"oauth_refresh_margin" must be a non-negative number of seconds (got "-1"). Fix the variable or clear it to use the default (60).'],
    [{ oauth_default_expires_in: '0' }, '"oauth_default_expires_in" must be a positive number of seconds (got "0"). Fix the variable or clear it to use the default (3600).'],
  ])('rejects %j', (override, message) => {
    expect(configError({ ...base, ...override })).toBe(message);
  });

  it('validates the token store scope', () => {
    expect(readTokenStore(() => undefined)).toBe('collection');
    expect(readTokenStore(() => 'environment')).toBe('environment');
    expect(() => readTokenStore(() => 'globals')).toThrow('"oauth_token_store" is "globals"; use "collection" or "environment".');
  });

  it('recognises absolute http(s) URLs without the URL class', () => {
    expect(isHttpUrl('https://login.mypurecloud.com/oauth/token')).toBe(true);
    expect(isHttpUrl('http://127.0.0.1:8089/oauth/token')).toBe(true);
    expect(isHttpUrl('http://[::1]:8089/oauth/token')).toBe(true);
    expect(isHttpUrl('ftp://x/y')).toBe(false);
    expect(isHttpUrl('/oauth/token')).toBe(false);
  });
});
