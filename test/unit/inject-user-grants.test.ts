import { describe, expect, it } from 'vitest';
import { CliError } from '../../build/errors.ts';
import { injectIntoCollection } from '../../build/inject.ts';

const bundle = { code: '/* bundle */', version: 't' };

function collection() {
  return { info: { name: 'c', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' }, item: [] };
}

function variable(data: unknown, key: string): unknown {
  return (data as { variable: Array<{ key: string; value: unknown }> }).variable.find((v) => v.key === key)?.value;
}

function error(fn: () => unknown): CliError {
  try {
    fn();
  } catch (e) {
    if (e instanceof CliError) return e;
    throw e;
  }
  throw new Error('expected a CliError');
}

describe('inject --grant for user grants', () => {
  it('--provider genesys defaults both endpoints to login.{{environment}}', () => {
    const data = collection();
    injectIntoCollection(data, bundle, { provider: 'genesys', region: 'mypurecloud.ie', grant: 'pkce' }, 'c.json');
    expect(variable(data, 'oauth_grant')).toBe('pkce');
    expect(variable(data, 'oauth_token_url')).toBe('https://login.{{environment}}/oauth/token');
    expect(variable(data, 'oauth_authorize_url')).toBe('https://login.{{environment}}/oauth/authorize');
    expect(variable(data, 'oauth_redirect_uri')).toBe('https://oauth.pstmn.io/v1/callback');
    expect(variable(data, 'oauth_callback_url')).toBe('');
    expect(variable(data, 'oauth_password')).toBe('{{vault:oauth-password}}');
  });

  it('--authorize-url and --redirect-uri are written as given', () => {
    const data = collection();
    injectIntoCollection(
      data,
      bundle,
      { grant: 'authorization_code', tokenUrl: 'https://idp.test/token', authorizeUrl: 'https://idp.test/authorize', redirectUri: 'http://127.0.0.1:8765/callback' },
      'c.json',
    );
    expect(variable(data, 'oauth_authorize_url')).toBe('https://idp.test/authorize');
    expect(variable(data, 'oauth_redirect_uri')).toBe('http://127.0.0.1:8765/callback');
  });

  it('a redirect grant without an authorization endpoint is a usage error', () => {
    const e = error(() => injectIntoCollection(collection(), bundle, { grant: 'implicit', tokenUrl: 'https://idp.test/token' }, 'c.json'));
    expect(e.code).toBe('AUTHORIZE_URL_REQUIRED');
    expect(e.message).toBe('the implicit grant needs an authorization endpoint: pass --authorize-url <url> (or --provider genesys --region <domain>).');
  });

  it('unknown grants and malformed URLs name the option', () => {
    expect(error(() => injectIntoCollection(collection(), bundle, { grant: 'device_code', tokenUrl: 'https://idp.test/t' }, 'c.json')).message).toBe(
      '--grant "device_code" is not supported; use one of: client_credentials, authorization_code, pkce, implicit, password.',
    );
    expect(
      error(() => injectIntoCollection(collection(), bundle, { grant: 'pkce', tokenUrl: 'https://idp.test/t', authorizeUrl: 'idp.test/authorize' }, 'c.json'))
        .message,
    ).toBe('--authorize-url "idp.test/authorize" is not an absolute http(s) URL or a {{variable}}. Example: https://login.mypurecloud.com/oauth/token');
  });
});
