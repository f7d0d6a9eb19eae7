import { CliError, EXIT } from './errors.ts';

/** Options of one reporter, from `--reporter-<name>-<option> [value]` (newman's own convention). */
export type ReporterOptions = Record<string, Record<string, string | boolean>>;

const REPORTER_OPTION = /^--reporter-([a-z0-9]+)-([a-z0-9][a-z0-9-]*)(?:=(.*))?$/i;

function camel(name: string): string {
  return name.replace(/-([a-z0-9])/g, (_, c: string) => c.toUpperCase());
}

/**
 * Takes every `--reporter-<name>-<option>` argument out of `argv`, as newman does:
 * `--reporter-junit-export out.xml` -> `{ junit: { export: 'out.xml' } }`; an
 * option without a value (`--reporter-cli-no-summary`) is `true`.
 */
export function extractReporterOptions(argv: readonly string[]): { rest: string[]; reporter: ReporterOptions } {
  const rest: string[] = [];
  const reporter: ReporterOptions = {};
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i] as string;
    if (arg === '--') {
      rest.push(...argv.slice(i));
      break;
    }
    const match = REPORTER_OPTION.exec(arg);
    if (!match) {
      rest.push(arg);
      continue;
    }
    const name = (match[1] as string).toLowerCase();
    const key = camel((match[2] as string).toLowerCase());
    let value: string | boolean = true;
    if (match[3] !== undefined) value = match[3];
    else if (i + 1 < argv.length && !(argv[i + 1] as string).startsWith('-')) value = argv[++i] as string;
    (reporter[name] ??= {})[key] = value;
  }
  return { rest, reporter };
}

/** Parses `key=value` pairs of `--env-var` / `--global-var`. */
export function keyValues(option: string, values: readonly string[]): { key: string; value: string }[] {
  return values.map((pair) => {
    const at = pair.indexOf('=');
    if (at <= 0) {
      throw new CliError('INVALID_OPTION_VALUE', `--${option} "${pair.length > 40 ? pair.slice(0, 40) + '...' : pair}" must look like key=value.`, EXIT.usage);
    }
    return { key: pair.slice(0, at), value: pair.slice(at + 1) };
  });
}

/** A whole number option within bounds. */
export function wholeNumber(option: string, value: string | undefined, min: number, max: number): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (!/^\d+$/.test(value) || n < min || n > max) {
    throw new CliError('INVALID_OPTION_VALUE', `--${option} "${value}" must be a whole number from ${min} to ${max}.`, EXIT.usage);
  }
  return n;
}

/** `-r cli,json` and repeated `-r` flags -> unique reporter names. */
export function reporterNames(values: readonly string[] | undefined): string[] {
  const given = (values ?? []).flatMap((v) => v.split(',')).map((v) => v.trim()).filter((v) => v !== '');
  const names = given.length > 0 ? given : ['cli'];
  for (const name of names) {
    if (!/^(@[a-z0-9][\w.-]*\/)?[a-z0-9][\w.-]*$/i.test(name)) {
      throw new CliError('INVALID_OPTION_VALUE', `--reporters "${name}" is not a reporter name (cli, json, junit, progress, emojitrain or an installed newman-reporter-<name>).`, EXIT.usage);
    }
  }
  return [...new Set(names)];
}
