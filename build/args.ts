import { parseArgs } from 'node:util';
import { CliError, EXIT } from './errors.ts';

/** One command-line option; the help text and docs/cli.md are generated from these. */
export interface OptionSpec {
  name: string;
  short?: string;
  type: 'string' | 'boolean';
  /** Placeholder shown in help, e.g. `<url>`. */
  value?: string;
  description: string;
  multiple?: boolean;
}

export interface CommandSpec {
  name: string;
  summary: string;
  usage: string;
  options: OptionSpec[];
  /** Extra help paragraphs (examples, lists). */
  details?: string[];
}

export const HELP_OPTION: OptionSpec = { name: 'help', short: 'h', type: 'boolean', description: 'Show this help.' };

/** Renders `--help` for a command. */
export function renderHelp(spec: CommandSpec): string {
  const rows = spec.options.map((o) => {
    const flag = `${o.short ? `-${o.short}, ` : '    '}--${o.name}${o.value ? ` ${o.value}` : ''}`;
    return { flag, description: o.description };
  });
  const width = Math.max(...rows.map((r) => r.flag.length)) + 2;
  const lines = [
    `Usage: ${spec.usage}`,
    '',
    spec.summary,
    '',
    'Options:',
    ...rows.map((r) => `  ${r.flag.padEnd(width)}${r.description}`),
  ];
  if (spec.details?.length) lines.push('', ...spec.details);
  return lines.join('\n') + '\n';
}

export interface Parsed {
  values: Record<string, string | boolean | string[] | undefined>;
  positionals: string[];
}

/** Strict parsing: an unknown option or a missing value is a usage error naming it. */
export function parseCommandArgs(spec: CommandSpec, argv: string[]): Parsed {
  const options: Record<string, { type: 'string' | 'boolean'; short?: string; multiple?: boolean }> = {};
  for (const o of spec.options) {
    options[o.name] = { type: o.type, ...(o.short ? { short: o.short } : {}), ...(o.multiple ? { multiple: true } : {}) };
  }
  try {
    const { values, positionals } = parseArgs({ args: argv, options, allowPositionals: true, strict: true });
    return { values: values as Parsed['values'], positionals };
  } catch (error) {
    const message = error instanceof Error ? error.message : String(error);
    const unknown = /Unknown option '([^']+)'/.exec(message);
    if (unknown) {
      throw new CliError(
        'UNKNOWN_OPTION',
        `unknown option ${unknown[1]} for "${spec.name}". Run "postman-oauth-kit ${spec.name} --help" for the options.`,
        EXIT.usage,
      );
    }
    const missing = /Option '([^']+)' argument missing/.exec(message);
    if (missing) {
      const name = (missing[1] ?? '').replace(/^-., /, '').split(' ')[0];
      throw new CliError('MISSING_OPTION_VALUE', `option ${name} needs a value.`, EXIT.usage);
    }
    throw new CliError('BAD_ARGUMENTS', `${message.replace(/\.$/, '')}. Run "postman-oauth-kit ${spec.name} --help".`, EXIT.usage);
  }
}

export function stringOption(values: Parsed['values'], name: string): string | undefined {
  const value = values[name];
  return typeof value === 'string' ? value : undefined;
}
