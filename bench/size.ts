import { bundleSizes, readBudget } from './lib/size.ts';

export interface SizeResult {
  bundles: Array<{ entry: string; bytes: number; gzipBytes: number; budgetBytes: number | undefined }>;
}

/** Section 3: size of every built entry in dist/scripts against bench/size-budget.json. */
export function benchSize(): SizeResult {
  const budget = readBudget().bytes;
  return { bundles: bundleSizes().map((b) => ({ ...b, budgetBytes: budget[b.entry] })) };
}
