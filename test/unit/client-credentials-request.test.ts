import { Buffer } from 'node:buffer';
import { describe, expect, it } from 'vitest';
import { base64FromBytes, base64FromString, base64UrlFromBytes } from '../../scripts-src/base64.ts';
import { formEncode, formEncodeComponent } from '../../scripts-src/form.ts';
import { basicAuthorization, buildClientCredentialsRequest } from '../../scripts-src/grants/client-credentials.ts';

describe('encodings written for the sandbox (no btoa/URLSearchParams there)', () => {
  it('base64 matches Node for ASCII, UTF-8 and every padding length', () => {
    for (const text of ['', 'a', 'ab', 'abc', 'abcd', 'client:secret', 'ümlaut€😀', 'x'.repeat(101)]) {
      expect(base64FromString(text)).toBe(Buffer.from(text, 'utf8').toString('base64'));
    }
    const bytes = Array.from({ length: 256 }, (_, i) => i);
    expect(base64FromBytes(bytes)).toBe(Buffer.from(bytes).toString('base64'));
    expect(base64UrlFromBytes(bytes)).toBe(Buffer.from(bytes).toString('base64url'));
  });

  it('form-encodes like URLSearchParams (WHATWG application/x-www-form-urlencoded)', () => {
    for (const value of ['a b', 'a+b', "!'()*~", 'ä/?&=#%', 'plain-._']) {
      expect(formEncodeComponent(value)).toBe(new URLSearchParams({ v: value }).toString().slice(2));
    }
    expect(formEncode([['a', '1'], ['skip', undefined], ['b', 'x y']])).toBe('a=1&b=x+y');
  });
});

describe('client credentials token request (RFC 6749 section 4.4.2)', () => {
  const params = {
    tokenUrl: 'https://login.mypurecloud.ie/oauth/token',
    clientId: 'id-1',
    clientSecret: 's3cr3t+/=',
    scope: undefined,
    audience: undefined,
  };

  it('client_secret_basic: form-encoded id and secret in an Authorization header (section 2.3.1)', () => {
    const request = buildClientCredentialsRequest({ ...params, clientAuth: 'basic' });
    expect(request).toEqual({
      method: 'POST',
      url: 'https://login.mypurecloud.ie/oauth/token',
      headers: {
        'Content-Type': 'application/x-www-form-urlencoded',
        Accept: 'application/json',
        Authorization: 'Basic ' + Buffer.from('id-1:s3cr3t%2B%2F%3D').toString('base64'),
      },
      body: 'grant_type=client_credentials',
    });
    expect(basicAuthorization('demo-client-id', 'demo-client-secret')).toBe(
      'Basic ' + Buffer.from('demo-client-id:demo-client-secret').toString('base64'),
    );
  });

  it('client_secret_post: credentials in the body, no Authorization header', () => {
    const request = buildClientCredentialsRequest({ ...params, clientAuth: 'post', scope: 'a b', audience: 'https://api' });
    expect(request.headers['Authorization']).toBeUndefined();
    expect(Object.fromEntries(new URLSearchParams(request.body))).toEqual({
      grant_type: 'client_credentials',
      scope: 'a b',
      audience: 'https://api',
      client_id: 'id-1',
      client_secret: 's3cr3t+/=',
    });
  });
});
