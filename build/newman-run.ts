import type { NewmanRunOptions, NewmanRunSummary } from 'newman';

/**
 * newman, loaded on first use: importing it takes about 0.5 s, which every CLI
 * command would otherwise pay at start-up (inject never needs it).
 */
export async function loadNewman(): Promise<typeof import('newman')> {
  const module = (await import('newman')) as typeof import('newman') & { default?: typeof import('newman') };
  return module.default ?? module;
}

/** Runs newman as a library; resolves with the run-level error kept apart from the summary. */
export async function runNewman(options: NewmanRunOptions): Promise<{ error: Error | null; summary: NewmanRunSummary }> {
  const newman = await loadNewman();
  return new Promise((resolve) => {
    newman.run(options, (error, summary) => resolve({ error: error ?? null, summary }));
  });
}
