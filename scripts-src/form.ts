/**
 * `application/x-www-form-urlencoded` serialisation (WHATWG URL standard, the
 * encoding RFC 6749 Appendix B requires), written out because Newman's sandbox has
 * no `URLSearchParams`.
 */
export function formEncodeComponent(value: string): string {
  return encodeURIComponent(value)
    .replace(/[!'()~]/g, (c) => '%' + c.charCodeAt(0).toString(16).toUpperCase())
    .replace(/%20/g, '+');
}

/** Serialises ordered pairs; pairs whose value is `undefined` are left out. */
export function formEncode(pairs: ReadonlyArray<readonly [string, string | undefined]>): string {
  const parts: string[] = [];
  for (const [key, value] of pairs) {
    if (value === undefined) continue;
    parts.push(formEncodeComponent(key) + '=' + formEncodeComponent(value));
  }
  return parts.join('&');
}
