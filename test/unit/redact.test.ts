import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { redact, redactPatterns, REDACTED } from '../../scripts-src/redact.ts';

const secretChars = fc.stringMatching(/^[A-Za-z0-9_\-.~+/=!@#$%^&*]{4,40}$/);

describe('redact', () => {
  it('removes every occurrence of every known secret from any text (property)', () => {
    fc.assert(
      fc.property(fc.array(fc.string(), { minLength: 1, maxLength: 5 }), secretChars, (parts, secret) => {
        // A secret that is itself part of "[redacted]" cannot be told apart from the marker.
        fc.pre(!REDACTED.includes(secret));
        const text = parts.join(secret);
        expect(redact(text, [secret])).not.toContain(secret);
      }),
    );
  });

  it('also removes the URL-encoded form of a secret', () => {
    expect(redact('echo: a%2Bb%2Fc%3D', ['a+b/c='])).toBe(`echo: ${REDACTED}`);
  });

  it('ignores values shorter than 4 characters (they would garble every message)', () => {
    expect(redact('the token endpoint', ['the'])).toBe('the token endpoint');
  });

  it.each([
    ['access_token=abc123def in a query', `access_token=${REDACTED} in a query`],
    ['https://cb.example/#access_token=xyz&expires_in=3600', `https://cb.example/#access_token=${REDACTED}&expires_in=3600`],
    ['?code=SplxlOBeZQQYbYS6WxSbIA&state=af0ifjsldkj', `?code=${REDACTED}&state=af0ifjsldkj`],
    ['{"refresh_token": "r-1234567"}', `{"refresh_token": "${REDACTED}"}`],
    ['{"password":"hunter2 with \\"quotes\\""}', `{"password":"${REDACTED}"}`],
    ['client_secret=s3cr3t&grant_type=client_credentials', `client_secret=${REDACTED}&grant_type=client_credentials`],
    ['Authorization: Bearer abcdefghijk', `Authorization: Bearer ${REDACTED}`],
    ['Authorization: Basic ZGVtbzpzZWNyZXQ=', `Authorization: Basic ${REDACTED}`],
    ['jwt eyJhbGciOiJIUzI1NiJ9.eyJzdWIiOiIxMjM0In0.abc-def_ghi here', `jwt ${REDACTED} here`],
    ['opaque K7gNU3sdo-OL0wNhqoVWhr3g6s1xYv72ol_pe_Unols end', `opaque ${REDACTED} end`],
  ])('redacts credential shapes it was never told about: %s', (input, expected) => {
    expect(redactPatterns(input)).toBe(expected);
  });

  it.each([
    '"oauth_default_expires_in" must be a positive number of seconds (got "abc").',
    'the token endpoint answered HTTP 503 without an OAuth error body. Check "oauth_token_url" and that the server is up.',
    'request id 0f8fad5b-d9cb-469f-a165-70867728950e failed',
    'https://login.mypurecloud.com/oauth/token',
    'HTTP 400 invalid_grant (authorization code expired)',
  ])('leaves ordinary messages alone: %s', (text) => {
    expect(redactPatterns(text)).toBe(text);
  });

  it('errs on the safe side: any "code=" value is treated as an authorization code', () => {
    expect(redactPatterns('error code=invalid_client')).toBe(`error code=${REDACTED}`);
  });
});

describe('redaction keeps what is shown on purpose', () => {
  it('leaves the authorization URL intact while redacting a token beside it', () => {
    const url =
      'https://login.mypurecloud.ie/oauth/authorize?response_type=code&client_id=c&state=kzKsVGu06wOQ_ywbd-V6c7Vmi3zT179f&code_challenge=ZAqWAoKJPkhfQWqAU3vpPeG-SRJK-LJDimVJ9mZHSuE&code_challenge_method=S256';
    const token = 'tok3nValue0123456789abcdefghijklmnop';
    const text = `open ${url} in a browser; the old token ${token} was refused`;
    expect(redactPatterns(text, [url])).toBe(`open ${url} in a browser; the old token [redacted] was refused`);
    expect(redact(text, ['kzKsVGu06wOQ_ywbd-V6c7Vmi3zT179f'], [url])).toBe(`open ${url} in a browser; the old token [redacted] was refused`);
    expect(redactPatterns(text)).not.toContain('kzKsVGu06wOQ_ywbd-V6c7Vmi3zT179f');
  });
});
