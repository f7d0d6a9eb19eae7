const ALPHABET = 'ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/';

/** UTF-8 bytes of a string, without `TextEncoder` (absent in Newman's sandbox). */
export function utf8Bytes(text: string): number[] {
  const bytes: number[] = [];
  const encoded = unescape(encodeURIComponent(text));
  for (let i = 0; i < encoded.length; i++) bytes.push(encoded.charCodeAt(i));
  return bytes;
}

/** Standard base64 with padding (RFC 4648 section 4) of arbitrary bytes. */
export function base64FromBytes(bytes: ArrayLike<number>): string {
  let out = '';
  for (let i = 0; i < bytes.length; i += 3) {
    const b0 = bytes[i] ?? 0;
    const b1 = bytes[i + 1];
    const b2 = bytes[i + 2];
    const n = (b0 << 16) | ((b1 ?? 0) << 8) | (b2 ?? 0);
    out += ALPHABET.charAt((n >> 18) & 63) + ALPHABET.charAt((n >> 12) & 63);
    out += b1 === undefined ? '=' : ALPHABET.charAt((n >> 6) & 63);
    out += b2 === undefined ? '=' : ALPHABET.charAt(n & 63);
  }
  return out;
}

/** base64 of the UTF-8 encoding of `text`. */
export function base64FromString(text: string): string {
  return base64FromBytes(utf8Bytes(text));
}

/** base64url without padding (RFC 4648 section 5, as RFC 7636 uses it). */
export function base64UrlFromBytes(bytes: ArrayLike<number>): string {
  return base64FromBytes(bytes).replace(/\+/g, '-').replace(/\//g, '_').replace(/=+$/, '');
}


/**
 * Decodes standard base64 (RFC 4648 section 4) to a UTF-8 string; invalid
 * characters are skipped. For reading back a Basic credential to redact it.
 */
export function stringFromBase64(text: string): string {
  let bits = 0;
  let value = 0;
  let binary = '';
  for (let i = 0; i < text.length; i++) {
    const index = ALPHABET.indexOf(text.charAt(i));
    if (index < 0) continue;
    value = (value << 6) | index;
    bits += 6;
    if (bits >= 8) {
      bits -= 8;
      binary += String.fromCharCode((value >> bits) & 0xff);
    }
  }
  try {
    return decodeURIComponent(escape(binary));
  } catch {
    return binary;
  }
}
