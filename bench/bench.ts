/**
 * `npm run bench` (full) and `npm run bench -- --quick` (CI smoke: everything
 * runs, small sizes). Prints one table and writes it as JSON and Markdown to
 * bench/results/. Asserts no timing: the exit code is non-zero only when the
 * bench itself could not run (a run failed, a server did not start).
 */
import { mkdirSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { parseArgs } from 'node:util';
import { benchBruno } from './bruno.ts';
import { benchBuilder } from './builder.ts';
import { machineInfo } from './lib/machine.ts';
import { RESULTS } from './lib/paths.ts';
import { killAllChildren, liveChildren } from './lib/processes.ts';
import { benchOverhead } from './overhead.ts';
import { renderMarkdown, renderText, type BenchResults } from './report.ts';
import { benchSize } from './size.ts';
import { benchTokenCalls } from './token-calls.ts';

const SECTIONS = ['overhead', 'tokens', 'size', 'builder', 'bruno'] as const;
type Section = (typeof SECTIONS)[number];

const USAGE = `Usage: npm run bench [-- [--quick] [--only overhead,tokens,size,builder,bruno] [--no-bruno] [--runs N] [--requests N]]
  --quick      small sizes, one run each, no Bruno (what CI runs: it checks the bench works, not the numbers)
  --only       run only these sections
  --no-bruno   skip the optional Bruno CLI comparison (it installs @usebruno/cli into a temporary folder)
  --runs N     runs per figure for overhead and builder (default 5; the median is reported)
  --requests N requests per overhead run (default 500)
Env: BENCH_BRUNO_CLI=/path/to/@usebruno/cli/bin/bru.js uses an installed Bruno CLI instead of installing one.`;

async function main(): Promise<number> {
  const { values } = parseArgs({
    args: process.argv.slice(2),
    options: {
      quick: { type: 'boolean', default: false },
      only: { type: 'string' },
      'no-bruno': { type: 'boolean', default: false },
      runs: { type: 'string' },
      requests: { type: 'string' },
      help: { type: 'boolean', short: 'h', default: false },
    },
    strict: true,
  });
  if (values.help) {
    process.stdout.write(`${USAGE}\n`);
    return 0;
  }
  const only = values.only ? values.only.split(',').map((s) => s.trim()) : [...SECTIONS];
  for (const s of only) {
    if (!(SECTIONS as readonly string[]).includes(s)) throw new Error(`--only: unknown section "${s}"; use ${SECTIONS.join(', ')}`);
  }
  const want = (s: Section) => only.includes(s);
  const quick = values.quick;
  const whole = (name: string, value: string | undefined): number | undefined => {
    if (value === undefined) return undefined;
    if (!/^[1-9]\d*$/.test(value)) throw new Error(`--${name} must be a positive whole number (got "${value}")`);
    return Number(value);
  };
  const runs = whole('runs', values.runs);
  const requests = whole('requests', values.requests);
  const log = (s: string) => process.stderr.write(`${s}\n`);
  const results: BenchResults = { mode: quick ? 'quick' : 'full', machine: machineInfo(), skipped: [] };

  if (want('size')) {
    log('3/5 bundle size');
    results.size = benchSize();
  }
  if (want('overhead')) {
    log('1/5 per-request overhead in newman');
    results.overhead = await benchOverhead({ requests: requests ?? (quick ? 50 : 500), runs: runs ?? (quick ? 1 : 5), profile: !quick, log });
  }
  if (want('tokens')) {
    log('2/5 token calls');
    results.tokenCalls = await benchTokenCalls({
      cases: quick
        ? [
            { lifetimeSeconds: 3600, requests: 20, delayMs: 0 },
            { lifetimeSeconds: 2, requests: 30, delayMs: 100 },
          ]
        : [
            { lifetimeSeconds: 3600, requests: 200, delayMs: 0 },
            { lifetimeSeconds: 10, requests: 200, delayMs: 120 },
            { lifetimeSeconds: 2, requests: 200, delayMs: 40 },
          ],
      log,
    });
  }
  if (want('builder')) {
    log('4/5 builder');
    results.builder = await benchBuilder({ sizes: quick ? [1000] : [1000, 10000, 50000], runs: runs ?? (quick ? 1 : 5), genesys: !quick, profile: !quick, log });
    results.skipped.push(...results.builder.skipped);
    if (quick) results.skipped.push('builder: Genesys Platform API and the 10k/50k collections (run without --quick)');
  }
  if (want('bruno')) {
    if (quick || values['no-bruno']) {
      results.skipped.push(`Bruno CLI side by side (${quick ? '--quick' : '--no-bruno'})`);
    } else {
      log('5/5 Bruno CLI side by side');
      const bruno = await benchBruno({
        requests: 200,
        runs: 3,
        cases: [
          { lifetimeSeconds: 3600, delayMs: 0 },
          { lifetimeSeconds: 2, delayMs: 40 },
        ],
        log,
      });
      if ('skipped' in bruno) {
        log(`  Bruno CLI skipped: ${bruno.skipped}`);
        results.skipped.push(`Bruno CLI side by side: ${bruno.skipped}`);
      } else results.bruno = bruno;
    }
  }

  const text = renderText(results);
  process.stdout.write(`\n${text}`);
  mkdirSync(RESULTS, { recursive: true });
  const base = path.join(RESULTS, quick ? 'quick' : 'latest');
  writeFileSync(`${base}.json`, JSON.stringify(results, null, 2) + '\n');
  writeFileSync(`${base}.md`, renderMarkdown(results));
  process.stdout.write(`\nwrote ${path.relative(process.cwd(), base)}.json and .md\n`);
  return 0;
}

main()
  .then((code) => {
    if (liveChildren() > 0) {
      process.stderr.write(`bench: ${liveChildren()} child process(es) still running; stopping them\n`);
      killAllChildren();
    }
    process.exitCode = code;
  })
  .catch((error: unknown) => {
    killAllChildren();
    process.stderr.write(`bench failed: ${error instanceof Error ? (error.stack ?? error.message) : String(error)}\n`);
    process.exitCode = 1;
  });
