import { createHash, webcrypto } from 'node:crypto';
import newman from 'newman';
import { describe, expect, it } from 'vitest';
import {
  createCodeVerifier,
  createState,
  isValidCodeVerifier,
  s256Challenge,
  s256WithCryptoJs,
  s256WithWebCrypto,
  secureRandomBytes,
  type CryptoHost,
  type CryptoJsLike,
} from '../../scripts-src/pkce.ts';
import { OAuthKitError } from '../../scripts-src/errors.ts';

// RFC 7636 Appendix B.
const VERIFIER = 'dBjftJeZ4CVP-mB92K27uhbUJU1p1r_wW1gFWFOEjXk';
const CHALLENGE = 'E9Melhoa2OwvFrEMTJguCHaoeK1t8URWbuGJSstw-cM';

/**
 * crypto-js is not an npm dependency here: Newman's sandbox ships crypto-js 3.3.0
 * inside its boot code. So the crypto-js path runs where it runs for users: in
 * Newman's sandbox, with the function's own source.
 */
function inNewmanSandbox(source: string): Promise<string[]> {
  const lines: string[] = [];
  const collection = {
    info: { name: 'crypto-js probe', schema: 'https://schema.getpostman.com/json/collection/v2.1.0/collection.json' },
    item: [
      {
        name: 'probe',
        request: { method: 'GET', url: 'http://127.0.0.1:9/never-sent' },
        event: [{ listen: 'prerequest', script: { type: 'text/javascript', exec: [source, 'pm.execution.skipRequest();'] } }],
      },
    ],
  };
  return new Promise((resolve, reject) => {
    newman
      .run({ collection, reporters: [] }, (error) => (error ? reject(error) : resolve(lines)))
      .on('console', (_e: unknown, args: { messages: unknown[] }) => lines.push(args.messages.map(String).join(' ')));
  });
}

/** A stand-in with crypto-js's shape over Node's hash, to check which path `s256Challenge` takes. */
function recordingCryptoJs(calls: string[]): () => CryptoJsLike {
  const Base64 = {};
  return () => ({
    enc: { Base64 },
    SHA256: (message: string) => {
      calls.push(message);
      return { toString: (enc: unknown) => (enc === Base64 ? createHash('sha256').update(message).digest('base64') : 'wrong encoder') };
    },
  });
}

const webCrypto = webcrypto as unknown as NonNullable<CryptoHost['webCrypto']>;
const appHost: CryptoHost = { webCrypto, cryptoJs: () => undefined };
const cryptoJsCalls: string[] = [];
const newmanHost: CryptoHost = { webCrypto: undefined, cryptoJs: recordingCryptoJs(cryptoJsCalls) };

describe('PKCE S256 (RFC 7636)', () => {
  it('Appendix B vector with Web Crypto (the app sandbox path)', async () => {
    expect(await s256WithWebCrypto(VERIFIER, webCrypto.subtle!)).toBe(CHALLENGE);
    expect(await s256Challenge(VERIFIER, appHost)).toBe(CHALLENGE);
  });

  it('Appendix B vector with crypto-js 3.3.0 in Newman\'s sandbox (the newman path)', async () => {
    const lines = await inNewmanSandbox(
      `var s256 = (${s256WithCryptoJs.toString()}); var cj = require('crypto-js'); console.log(cj.SHA256.toString().length > 0 ? 'has-sha256' : 'none'); console.log(s256('${VERIFIER}', cj));`,
    );
    expect(lines).toEqual(['has-sha256', CHALLENGE]);
  });

  it('without Web Crypto the challenge is computed with crypto-js', async () => {
    cryptoJsCalls.length = 0;
    expect(await s256Challenge(VERIFIER, newmanHost)).toBe(CHALLENGE);
    expect(cryptoJsCalls).toEqual([VERIFIER]);
    await expect(s256Challenge(VERIFIER, { webCrypto: undefined, cryptoJs: () => undefined })).rejects.toThrow(
      'this sandbox has neither Web Crypto nor crypto-js, so the script cannot compute the PKCE code challenge.',
    );
  });

  it('both paths agree on generated verifiers', async () => {
    for (let i = 0; i < 20; i++) {
      const verifier = createCodeVerifier(appHost);
      expect(isValidCodeVerifier(verifier)).toBe(true);
      expect(verifier).toHaveLength(43);
      expect(await s256Challenge(verifier, appHost)).toBe(await s256Challenge(verifier, newmanHost));
    }
  });

  it('verifiers and states come from getRandomValues and differ each time', () => {
    const calls: number[] = [];
    const spyHost: CryptoHost = {
      webCrypto: { getRandomValues: (a: Uint8Array) => (calls.push(a.length), webcrypto.getRandomValues(a)) },
      cryptoJs: () => undefined,
    };
    const a = createCodeVerifier(spyHost);
    const b = createCodeVerifier(spyHost);
    const s = createState(spyHost);
    expect(calls).toEqual([32, 32, 24]);
    expect(a).not.toBe(b);
    expect(s).toMatch(/^[A-Za-z0-9_-]{32}$/);
  });

  it('refuses without a secure random source instead of using Math.random', () => {
    const original = Math.random;
    let used = false;
    Math.random = () => ((used = true), 0.5);
    try {
      expect(() => createCodeVerifier(newmanHost)).toThrow(OAuthKitError);
      expect(() => createState(newmanHost)).toThrow(
        'this sandbox has no cryptographically secure random source (Web Crypto getRandomValues), so the script cannot create a sign-in "state" or PKCE code verifier, and it never falls back to Math.random.',
      );
      expect(() => secureRandomBytes({ webCrypto: {}, cryptoJs: newmanHost.cryptoJs }, 8)).toThrow(/no cryptographically secure random source/);
    } finally {
      Math.random = original;
    }
    expect(used).toBe(false);
  });

  it('validates verifier length and alphabet (43-128 unreserved characters)', async () => {
    expect(isValidCodeVerifier('a'.repeat(42))).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(43))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(128))).toBe(true);
    expect(isValidCodeVerifier('a'.repeat(129))).toBe(false);
    expect(isValidCodeVerifier('a'.repeat(42) + '+')).toBe(false);
    await expect(s256Challenge('short', appHost)).rejects.toThrow(
      'the stored PKCE code verifier is not 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1). Clear "oauth_pending_verifier" and sign in again.',
    );
  });
});
