import newman, { type NewmanRunOptions, type NewmanRunSummary } from 'newman';

export interface TimedRun {
  /** Wall time of the run as newman measured it (first request start to end). */
  ms: number;
  summary: NewmanRunSummary;
  failures: string[];
}

/** Runs newman in this process (no reporters) and times the run. */
export function runNewman(options: NewmanRunOptions): Promise<TimedRun> {
  return new Promise((resolve, reject) => {
    newman.run({ reporters: [], ...options }, (error, summary) => {
      if (error) return reject(error);
      const timings = summary.run.timings as unknown as { started: number; completed: number };
      resolve({
        ms: timings.completed - timings.started,
        summary,
        failures: summary.run.failures.map((f) => `${f.source?.name ?? ''} ${f.error.test ?? f.error.name}: ${f.error.message}`),
      });
    });
  });
}
