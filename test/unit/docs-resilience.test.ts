import { readFileSync } from 'node:fs';
import path from 'node:path';
import { describe, expect, it } from 'vitest';
import { SETTINGS } from '../../build/settings.ts';
import { DEFAULT_RETRY_POLICY } from '../../scripts-src/retry.ts';
import { DEFAULTS, SETTING } from '../../scripts-src/variables.ts';
import { ROOT } from '../helpers/paths.ts';

const doc = readFileSync(path.join(ROOT, 'docs', 'resilience.md'), 'utf8');

/** Rows `| `name` | `default` | ... |` of the settings table. */
function documentedDefaults(): Record<string, string> {
  const out: Record<string, string> = {};
  for (const match of doc.matchAll(/^\| `(oauth_[a-z0-9_]+)` \| `([^`]*)` \|/gm)) out[match[1]!] = match[2]!;
  return out;
}

describe('docs/resilience.md matches the code', () => {
  it('documents every retry setting with the default the builder writes and the script uses', () => {
    const documented = documentedDefaults();
    const retry = SETTINGS.filter((s) => s.key.startsWith('oauth_retry_'));
    expect(retry.map((s) => s.key).sort()).toEqual(Object.keys(documented).sort());
    for (const spec of retry) expect(documented[spec.key]).toBe(spec.fallback);
    expect(documented[SETTING.retryAttempts]).toBe(String(DEFAULTS.retryAttempts));
    expect(Number(documented[SETTING.retryBaseDelay]) * 1000).toBe(DEFAULT_RETRY_POLICY.baseDelayMs);
    expect(Number(documented[SETTING.retryMaxDelay]) * 1000).toBe(DEFAULT_RETRY_POLICY.maxDelayMs);
    expect(Number(documented[SETTING.retryAfterCap]) * 1000).toBe(DEFAULT_RETRY_POLICY.retryAfterCapMs);
    expect(documented[SETTING.retryOn401]).toBe(String(DEFAULTS.retryOn401));
  });
});
