import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { DIST_SCRIPT, requireBuilt } from '../helpers/paths.ts';

// Newman 6.2.2's sandbox (postman-sandbox 4.x) lacks these globals; the bundle
// must not touch them unguarded. (Running the bundle in real newman, as the
// end-to-end tests do, is the real proof; this catches a regression early.)
const ABSENT_IN_NEWMAN = ['globalThis', 'URLSearchParams', 'TextEncoder', 'TextDecoder', 'structuredClone', 'queueMicrotask', 'AbortController', 'new URL('];

describe('the built pre-request script', () => {
  requireBuilt();
  const code = readFileSync(DIST_SCRIPT, 'utf8');

  it('is one self-contained IIFE: no imports, exports or top-level await', () => {
    const [banner, body, ...rest] = code.trimEnd().split('\n');
    expect(banner).toMatch(/^\/\/ postman-oauth-kit [\d.]+ \(all-grants\): /);
    expect(rest).toEqual([]);
    expect(body?.startsWith('!function(){"use strict";')).toBe(true);
    expect(body?.endsWith('}();')).toBe(true);
    expect(code).not.toMatch(/^\s*(import|export)\s/m);
    expect(code).not.toMatch(/^await /m);
  });

  it.each(ABSENT_IN_NEWMAN)('does not use %s', (name) => {
    expect(code).not.toContain(name);
  });

  it('does not declare CryptoJS at top level (newman predeclares it)', () => {
    expect(code).not.toMatch(/^(const|let|var) CryptoJS/m);
  });
});
