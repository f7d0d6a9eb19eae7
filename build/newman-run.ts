import newman, { type NewmanRunOptions, type NewmanRunSummary } from 'newman';

/** Runs newman as a library; resolves with the run-level error kept apart from the summary. */
export function runNewman(options: NewmanRunOptions): Promise<{ error: Error | null; summary: NewmanRunSummary }> {
  return new Promise((resolve) => {
    newman.run(options, (error, summary) => resolve({ error: error ?? null, summary }));
  });
}
