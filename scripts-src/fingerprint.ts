/**
 * 32-bit FNV-1a hash, hex. Identifies the settings a cached token was obtained
 * with, so that changing the client id, token URL or scope invalidates it. Not a
 * security measure; no secret is ever part of the input.
 */
export function fnv1a(text: string): string {
  let hash = 0x811c9dc5;
  for (let i = 0; i < text.length; i++) {
    hash ^= text.charCodeAt(i);
    hash = Math.imul(hash, 0x01000193) >>> 0;
  }
  return ('0000000' + hash.toString(16)).slice(-8);
}

export function settingsFingerprint(parts: ReadonlyArray<string | undefined>): string {
  return fnv1a(parts.map((p) => (p === undefined ? '\u0000' : p)).join('\u0001'));
}
