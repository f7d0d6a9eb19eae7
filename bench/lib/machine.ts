import { execFileSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { ROOT } from './paths.ts';

export interface MachineInfo {
  date: string;
  cpu: string;
  cores: number;
  memoryGiB: number;
  os: string;
  node: string;
  newman: string;
  postmanRuntime: string;
  postmanSandbox: string;
  commit: string;
  /** 1-minute load average when the bench started (other work on the machine skews timings). */
  loadAverage: number;
}

function packageVersion(relative: string): string {
  try {
    return (JSON.parse(readFileSync(path.join(ROOT, 'node_modules', relative, 'package.json'), 'utf8')) as { version: string }).version;
  } catch {
    return 'unknown';
  }
}

/** What the numbers were measured on: they only compare within one run on one machine. */
export function machineInfo(): MachineInfo {
  let commit = 'unknown';
  try {
    commit = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd: ROOT, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--untracked-files=no'], { cwd: ROOT, encoding: 'utf8' }).trim();
    if (dirty) commit += ' (with uncommitted changes)';
  } catch {
    // not a git checkout
  }
  const cpus = os.cpus();
  return {
    date: new Date().toISOString(),
    cpu: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round(os.totalmem() / 2 ** 30),
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    newman: packageVersion('newman'),
    // Newman's own copy of the runtime/sandbox (the app-like devDependency is a different one).
    postmanRuntime: packageVersion('newman/node_modules/postman-runtime') !== 'unknown' ? packageVersion('newman/node_modules/postman-runtime') : packageVersion('postman-runtime'),
    postmanSandbox: packageVersion('newman/node_modules/postman-sandbox'),
    commit,
    loadAverage: Math.round(os.loadavg()[0]! * 100) / 100,
  };
}
