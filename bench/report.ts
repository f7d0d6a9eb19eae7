import type { BuilderResult } from './builder.ts';
import type { BrunoResult } from './bruno.ts';
import type { MachineInfo } from './lib/machine.ts';
import type { OverheadResult } from './overhead.ts';
import type { SizeResult } from './size.ts';
import type { TokenCallsResult } from './token-calls.ts';

export interface BenchResults {
  mode: 'full' | 'quick';
  machine: MachineInfo;
  overhead?: OverheadResult;
  tokenCalls?: TokenCallsResult;
  size?: SizeResult;
  builder?: BuilderResult;
  bruno?: BrunoResult;
  skipped: string[];
}

export interface Row {
  section: string;
  measure: string;
  value: string;
  target: string;
  /** 'yes' | 'NO' | '' (no target). */
  met: string;
}

const yes = (ok: boolean) => (ok ? 'yes' : 'NO');

/** The one table the bench prints: every figure with its target. */
export function rows(r: BenchResults): Row[] {
  const out: Row[] = [];
  if (r.overhead) {
    const o = r.overhead;
    for (const v of o.variants) {
      out.push({
        section: '1 overhead',
        measure: `(${v.id}) ${v.label}`,
        value: `${v.msPerRequest.toFixed(2)} ms/request${v.id === 'a' ? '' : ` (${v.overheadMs >= 0 ? '+' : ''}${v.overheadMs.toFixed(2)} over a)`}`,
        target: '',
        met: '',
      });
    }
    out.push({
      section: '1 overhead',
      measure: `c/b, ${o.requests} requests, median of ${o.runs} rounds`,
      value: o.ratioBundleToMinimal.toFixed(3),
      target: '<= 1.05',
      met: yes(o.ratioBundleToMinimal <= 1.05),
    });
    out.push({
      section: '1 overhead',
      measure: `s/b (slim, no 401 recovery), median of ${o.runs} rounds`,
      value: o.ratioSlimToMinimal.toFixed(3),
      target: '<= 1.05',
      met: yes(o.ratioSlimToMinimal <= 1.05),
    });
    if (o.attribution) {
      const t = o.attribution;
      out.push({
        section: '1 overhead',
        measure: 'profile: where c - b goes (ms/request)',
        value: `c-b ${t.totalOverMinimal.toFixed(2)}: pm calls ${t.pmCalls.toFixed(2)} (e-b), compiling the code ${t.compileCode.toFixed(2)} (g-e), running its logic ${t.runLogic.toFixed(2)} (c-g); for scale: bytes alone ${t.scriptSize.toFixed(2)} (d-b), an await ${t.asyncCompletion.toFixed(2)} (f-b)`,
        target: '',
        met: '',
      });
    }
    if (o.bundleJsMicros !== undefined) {
      out.push({ section: '1 overhead', measure: "profile: the bundle's own JS per request (Node vm, fake pm)", value: `${o.bundleJsMicros} µs`, target: '', met: '' });
    }
    if (o.pmCalls) {
      out.push({
        section: '1 overhead',
        measure: 'profile: pm calls per cached request',
        value: Object.entries(o.pmCalls).map(([k, v]) => `${k} ${v}`).join(', '),
        target: '',
        met: '',
      });
    }
  }
  if (r.tokenCalls) {
    for (const c of r.tokenCalls.cases) {
      const life = c.lifetimeSeconds >= 3600 ? `${c.lifetimeSeconds / 3600} h` : `${c.lifetimeSeconds} s`;
      out.push({
        section: '2 token calls',
        measure: `lifetime ${life}, ${c.requests} requests over ${c.cold.runSeconds} s`,
        value: `${c.cold.tokenCalls} (minimum ${c.cold.minimum}; ceil(run/usable) ${c.cold.ceilRunOverLifetime}), 401s ${c.cold.apiUnauthorized}`,
        target: '= minimum, no 401',
        met: yes(c.cold.tokenCalls === c.cold.minimum && c.cold.apiUnauthorized === 0),
      });
      out.push({
        section: '2 token calls',
        measure: `lifetime ${life}, warm second run (exported environment)`,
        value: `${c.warm.tokenCalls} (minimum ${c.warm.minimum}; ceil ${c.warm.ceilRunOverLifetime}), 401s ${c.warm.apiUnauthorized}`,
        target: c.warm.minimum === 0 ? '0' : '= minimum',
        met: yes(c.warm.tokenCalls === c.warm.minimum && c.warm.apiUnauthorized === 0),
      });
    }
  }
  if (r.size) {
    for (const b of r.size.bundles) {
      out.push({
        section: '3 bundle size',
        measure: `dist/scripts/${b.entry}.js`,
        value: `${b.bytes} B (gzip ${b.gzipBytes} B)`,
        target: b.budgetBytes === undefined ? 'no budget set' : `<= ${b.budgetBytes} B`,
        met: b.budgetBytes === undefined ? 'NO' : yes(b.bytes <= b.budgetBytes),
      });
    }
  }
  if (r.builder) {
    for (const c of r.builder.cases) {
      out.push({
        section: '4 builder',
        measure: `${c.name} (${c.requests} requests, ${c.megabytes} MB)`,
        value: `${c.injectMs} ms vs floor ${c.floorMs} ms = x${c.ratio.toFixed(2)}${c.floorLoadedMs !== undefined ? ` (floor after loading the CLI: ${c.floorLoadedMs} ms)` : ''}; CLI load ${c.injectLoadMs} ms; peak ${c.injectPeakMiB} vs ${c.floorPeakMiB} MiB`,
        target: '<= 1.2x floor',
        met: yes(c.ratio <= 1.2),
      });
    }
    if (r.builder.linearity) {
      const l = r.builder.linearity;
      out.push({
        section: '4 builder',
        measure: 'growth with size (least squares)',
        value: `${l.msPer1kRequests} ms per 1k requests + ${l.interceptMs} ms, R² ${l.r2}`,
        target: 'linear',
        met: yes(l.r2 >= 0.98),
      });
    }
  }
  if (r.bruno) {
    for (const t of r.bruno.tools) {
      out.push({
        section: '5 vs Bruno CLI',
        measure: `${t.tool} (${t.version}), ${r.bruno.requests} requests x ${r.bruno.runs} runs, lifetime ${t.lifetimeSeconds >= 3600 ? `${t.lifetimeSeconds / 3600} h` : `${t.lifetimeSeconds} s`}`,
        value: `${t.wallSeconds.toFixed(2)} s wall; per run: token calls ${t.tokenCallsPerRun.join('/')}, requests rejected 401 (expired token) ${t.unauthorizedPerRun.join('/')}`,
        target: '',
        met: '',
      });
    }
  }
  for (const s of r.skipped) out.push({ section: 'skipped', measure: s, value: '', target: '', met: '' });
  return out;
}

function header(r: BenchResults): string[] {
  const m = r.machine;
  return [
    `postman-oauth-kit benchmark (${r.mode}), ${m.date}, commit ${m.commit}`,
    `${m.cpu}, ${m.cores} cores, ${m.memoryGiB} GiB, ${m.os}, load average ${m.loadAverage} at start; Node ${m.node}, newman ${m.newman} (postman-runtime ${m.postmanRuntime}, postman-sandbox ${m.postmanSandbox})`,
    ...(r.mode === 'quick' ? ['Quick mode: one small run per figure, to check that the bench works. Its timings mean nothing; run without --quick for numbers.'] : []),
  ];
}

export function renderText(r: BenchResults): string {
  const table = rows(r);
  const cols: Array<keyof Row> = ['section', 'measure', 'value', 'target', 'met'];
  const widths = cols.map((c) => Math.max(c.length, ...table.map((row) => row[c].length)));
  const line = (cells: string[]) => cells.map((cell, i) => cell.padEnd(widths[i] as number)).join('  ').trimEnd();
  return [
    ...header(r),
    '',
    line(cols),
    line(widths.map((w) => '-'.repeat(w))),
    ...table.map((row) => line(cols.map((c) => row[c]))),
    '',
  ].join('\n');
}

export function renderMarkdown(r: BenchResults): string {
  const esc = (s: string) => s.replace(/\|/g, '\\|');
  return [
    ...header(r).map((l) => `${l}  `),
    '',
    '| Section | Measure | Value | Target | Met |',
    '|---|---|---|---|---|',
    ...rows(r).map((row) => `| ${esc(row.section)} | ${esc(row.measure)} | ${esc(row.value)} | ${esc(row.target)} | ${row.met} |`),
    '',
  ].join('\n');
}
