import { describe, expect, it } from 'vitest';
import { bundleSizes, readBudget } from '../../bench/lib/size.ts';
import { requireBuilt } from '../helpers/paths.ts';

// The size budget CI enforces: every built pre-request script (one per Rollup
// entry in SCRIPT_ENTRIES) must have a budget in bench/size-budget.json and stay
// within it. Sizes only; timing belongs to `npm run bench`.
describe('bundle size budget (bench/size-budget.json)', () => {
  requireBuilt();
  const sizes = bundleSizes();
  const budget = readBudget().bytes;

  it('finds the built scripts, all-grants among them', () => {
    expect(sizes.map((s) => s.entry)).toContain('all-grants');
  });

  it.each(sizes.map((s) => [s.entry, s.bytes] as const))('dist/scripts/%s.js (%i bytes) is within its budget', (entry, bytes) => {
    const limit = budget[entry];
    expect(limit, `no budget for dist/scripts/${entry}.js: add "${entry}" to bench/size-budget.json`).toBeTypeOf('number');
    expect(bytes, `dist/scripts/${entry}.js is ${bytes} bytes, over its budget of ${limit} bytes in bench/size-budget.json`).toBeLessThanOrEqual(limit as number);
  });

  it('has no budget for a script that is no longer built', () => {
    const built = new Set(sizes.map((s) => s.entry));
    expect(Object.keys(budget).filter((entry) => !built.has(entry))).toEqual([]);
  });
});
