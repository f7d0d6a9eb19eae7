import { base64UrlFromBytes } from './base64.ts';
import { OAuthKitError } from './errors.ts';

/** The part of Web Crypto (W3C) this project uses; the app sandbox and Node have it, Newman's sandbox does not. */
export interface WebCryptoLike {
  getRandomValues?(array: Uint8Array): Uint8Array;
  subtle?: { digest(algorithm: string, data: Uint8Array): Promise<ArrayBuffer> };
}

/** The part of crypto-js (3.x in Newman's sandbox) used for SHA-256. */
export interface CryptoJsLike {
  SHA256(message: string): { toString(encoder: unknown): string };
  enc: { Base64: unknown };
}

/** Cryptography the host offers. `cryptoJs` is loaded lazily: the app sandbox deprecates it. */
export interface CryptoHost {
  webCrypto: WebCryptoLike | undefined;
  cryptoJs(): CryptoJsLike | undefined;
}

/** RFC 7636 section 4.1: 43 to 128 characters of [A-Z] / [a-z] / [0-9] / "-" / "." / "_" / "~". */
export function isValidCodeVerifier(verifier: string): boolean {
  return /^[A-Za-z0-9\-._~]{43,128}$/.test(verifier);
}

/** True when the host has a cryptographically secure random source (Web Crypto `getRandomValues`). */
export function hasSecureRandom(host: CryptoHost): boolean {
  return !!host.webCrypto && typeof host.webCrypto.getRandomValues === 'function';
}

/**
 * `count` bytes from Web Crypto's `getRandomValues`. There is deliberately no
 * fallback: `Math.random` (and crypto-js 3.x's `WordArray.random` and Newman's
 * `uuid`, which use it) is predictable, and a guessable PKCE verifier or `state`
 * defeats its purpose (RFC 7636 section 7.1, RFC 6749 section 10.10).
 */
export function secureRandomBytes(host: CryptoHost, count: number): Uint8Array {
  const webCrypto = host.webCrypto;
  if (!webCrypto || typeof webCrypto.getRandomValues !== 'function') {
    throw new OAuthKitError(
      'UNSUPPORTED_SANDBOX',
      'this sandbox has no cryptographically secure random source (Web Crypto getRandomValues), so the script cannot create a sign-in "state" or PKCE code verifier, and it never falls back to Math.random.',
    );
  }
  const bytes = new Uint8Array(count);
  webCrypto.getRandomValues(bytes);
  return bytes;
}

/** A code verifier of 43 characters: 32 random bytes, base64url (RFC 7636 section 4.1). */
export function createCodeVerifier(host: CryptoHost): string {
  return base64UrlFromBytes(secureRandomBytes(host, 32));
}

/** An unguessable `state` value (RFC 6749 section 10.12): 24 random bytes, base64url. */
export function createState(host: CryptoHost): string {
  return base64UrlFromBytes(secureRandomBytes(host, 24));
}

/** ASCII bytes of a verifier (its alphabet is ASCII by definition). */
function asciiBytes(text: string): Uint8Array {
  const bytes = new Uint8Array(text.length);
  for (let i = 0; i < text.length; i++) bytes[i] = text.charCodeAt(i) & 0xff;
  return bytes;
}

/** S256 challenge with Web Crypto: BASE64URL(SHA256(ASCII(verifier))) (RFC 7636 section 4.2). */
export async function s256WithWebCrypto(verifier: string, subtle: NonNullable<WebCryptoLike['subtle']>): Promise<string> {
  const digest = await subtle.digest('SHA-256', asciiBytes(verifier));
  return base64UrlFromBytes(new Uint8Array(digest));
}

/** S256 challenge with crypto-js 3.x, which has no base64url: Base64, then `+/` -> `-_`, padding dropped. */
export function s256WithCryptoJs(verifier: string, cryptoJs: CryptoJsLike): string {
  return cryptoJs
    .SHA256(verifier)
    .toString(cryptoJs.enc.Base64)
    .replace(/\+/g, '-')
    .replace(/\//g, '_')
    .replace(/=+$/, '');
}

/** The S256 code challenge of `verifier`: Web Crypto where present, else crypto-js (Newman). */
export async function s256Challenge(verifier: string, host: CryptoHost): Promise<string> {
  if (!isValidCodeVerifier(verifier)) {
    throw new OAuthKitError(
      'CONFIG_INVALID',
      'the stored PKCE code verifier is not 43-128 characters of A-Z a-z 0-9 - . _ ~ (RFC 7636 section 4.1). Clear "oauth_pending_verifier" and sign in again.',
    );
  }
  const subtle = host.webCrypto && host.webCrypto.subtle;
  if (subtle && typeof subtle.digest === 'function') return s256WithWebCrypto(verifier, subtle);
  const cryptoJs = host.cryptoJs();
  if (cryptoJs) return s256WithCryptoJs(verifier, cryptoJs);
  throw new OAuthKitError('UNSUPPORTED_SANDBOX', 'this sandbox has neither Web Crypto nor crypto-js, so the script cannot compute the PKCE code challenge.');
}
