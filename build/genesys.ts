import { CliError, EXIT } from './errors.ts';

/**
 * Genesys Cloud region domains (the JS SDK's PureCloudRegionHosts). The login
 * host is `login.{domain}`, the API host `api.{domain}`.
 */
export const GENESYS_REGIONS = [
  'mypurecloud.com',
  'mypurecloud.ie',
  'mypurecloud.com.au',
  'mypurecloud.jp',
  'mypurecloud.de',
  'usw2.pure.cloud',
  'cac1.pure.cloud',
  'apne2.pure.cloud',
  'euw2.pure.cloud',
  'aps1.pure.cloud',
  'use2.us-gov-pure.cloud',
  'sae1.pure.cloud',
  'mec1.pure.cloud',
  'apne3.pure.cloud',
  'euc2.pure.cloud',
  'mxc1.pure.cloud',
  'apse1.pure.cloud',
] as const;

export type GenesysRegion = (typeof GENESYS_REGIONS)[number];

export const GENESYS_TOKEN_URL = 'https://login.{{environment}}/oauth/token';
export const GENESYS_AUTHORIZE_URL = 'https://login.{{environment}}/oauth/authorize';
export const GENESYS_API_BASE = 'https://api.{{environment}}';

/** Validates a region domain, accepting a pasted `api.`/`login.` host or URL too. */
export function parseGenesysRegion(input: string): GenesysRegion {
  const domain = input
    .trim()
    .toLowerCase()
    .replace(/^https?:\/\//, '')
    .replace(/\/.*$/, '')
    .replace(/^(api|login|apps)\./, '');
  const found = GENESYS_REGIONS.find((r) => r === domain);
  if (!found) {
    throw new CliError(
      'UNKNOWN_REGION',
      `--region "${input}" is not a Genesys Cloud region. Use one of: ${GENESYS_REGIONS.join(', ')}.`,
      EXIT.usage,
      { region: input },
    );
  }
  return found;
}

const escaped = GENESYS_REGIONS.map((r) => r.replace(/\./g, '\\.')).join('|');
const API_BASE = new RegExp(`^https://api\\.(?:${escaped})(/.*)?$`, 'i');

/** `https://api.mypurecloud.com/x` -> `https://api.{{environment}}/x`; other values: `undefined`. */
export function regionalizeApiBase(value: string): string | undefined {
  const match = API_BASE.exec(value.trim());
  return match ? GENESYS_API_BASE + (match[1] ?? '') : undefined;
}
