import { describe, expect, it } from 'vitest';
import { isSecretVariable, ReportSanitiser } from '../../build/report-sanitiser.ts';
import { extractReporterOptions, keyValues, reporterNames } from '../../build/run-options.ts';
import { referencedVaultKeys, supplyVaultSecrets, vaultEnvName } from '../../build/vault-env.ts';

describe('vault secrets from the process environment', () => {
  it('names the variable POSTMAN_VAULT_<KEY>: upper case, every other character to _', () => {
    expect(vaultEnvName('gc-client-secret')).toBe('POSTMAN_VAULT_GC_CLIENT_SECRET');
    expect(vaultEnvName('a.b c/ü')).toBe('POSTMAN_VAULT_A_B_C__');
    expect(vaultEnvName('ALREADY_UPPER')).toBe('POSTMAN_VAULT_ALREADY_UPPER');
    expect(vaultEnvName('x1')).toBe('POSTMAN_VAULT_X1');
  });

  it('finds {{vault:key}} in variables, URLs, headers and auth, but not in scripts or descriptions', () => {
    const collection = {
      info: { name: 'c', description: 'uses {{vault:in-description}}' },
      event: [{ listen: 'prerequest', script: { exec: ['// {{vault:in-script}}'] } }],
      item: [{ name: 'r', request: { url: 'https://x/{{vault:in-url}}', header: [{ key: 'k', value: '{{vault:in-header}}' }] } }],
      variable: [{ key: 'oauth_client_secret', value: '{{vault:in-variable}}', description: '{{vault:in-var-description}}' }],
    };
    expect(referencedVaultKeys(collection)).toEqual(['in-url', 'in-header', 'in-variable']);
  });

  it('the process environment wins over the vault env file; defined vault: variables need nothing', () => {
    const supply = supplyVaultSecrets(['a', 'b', 'c', 'd'], {
      defined: new Set(['d']),
      env: { POSTMAN_VAULT_A: 'from-env', POSTMAN_VAULT_C: '' },
      file: { POSTMAN_VAULT_A: 'from-file', POSTMAN_VAULT_B: 'file-b' },
    });
    expect(supply.values).toEqual([{ key: 'vault:a', value: 'from-env' }, { key: 'vault:b', value: 'file-b' }]);
    expect(supply.missing).toEqual(['c']);
  });
});

describe('report sanitiser', () => {
  const secret = 'p@ss word/+=&<x>';

  it('redacts raw, URL-encoded, form-encoded and HTML-escaped forms', () => {
    const s = new ReportSanitiser();
    s.add(secret);
    const text = [secret, encodeURIComponent(secret), encodeURIComponent(secret).replace(/%20/g, '+'), 'p@ss word/+=&amp;&lt;x&gt;'].join(' | ');
    expect(s.redactText(text)).toBe('[redacted] | [redacted] | [redacted] | [redacted]');
  });

  it('redacts inside JSON reports, Buffer byte arrays included (how newman stores response bodies)', () => {
    const s = new ReportSanitiser();
    s.addTokenResponse(JSON.stringify({ access_token: 'tok-123456', refresh_token: 'ref-654321', expires_in: 10 }));
    s.addAuthorization('Basic Y2xpZW50OnNlY3JldA==');
    const body = Buffer.from('{"access_token":"tok-123456"}');
    const report = JSON.stringify({ header: [{ key: 'Authorization', value: 'Basic Y2xpZW50OnNlY3JldA==' }], stream: body, note: 'ref-654321' }, null, 2);
    const out = JSON.parse(s.redactContent(report) as string) as { header: { value: string }[]; stream: { data: number[] }; note: string };
    expect(out.header[0]!.value).toBe('Basic [redacted]');
    expect(Buffer.from(out.stream.data).toString('utf8')).toBe('{"access_token":"[redacted]"}');
    expect(out.note).toBe('[redacted]');
  });

  it('ignores values too short to redact safely and {{references}}', () => {
    const s = new ReportSanitiser();
    s.add('abc');
    s.add('{{vault:oauth-client-secret}}');
    expect(s.size).toBe(0);
    expect(s.redactText('abc {{vault:oauth-client-secret}}')).toBe('abc {{vault:oauth-client-secret}}');
  });

  it('learns the credential parameters of a token request form and of a pasted redirect URL (query and #fragment), nothing else', () => {
    const s = new ReportSanitiser();
    s.addFormCredentials('grant_type=authorization_code&code=code-1234&redirect_uri=https%3A%2F%2Fx&code_verifier=verifier-5678&client_id=my-client');
    s.addFormCredentials('grant_type=refresh_token&refresh_token=ref-9999');
    s.addFormCredentials('grant_type=password&username=alice&password=pw%20with%20space');
    s.addFormCredentials('https://oauth.pstmn.io/v1/callback?code=code-from-url&state=state-1234');
    s.addFormCredentials('https://oauth.pstmn.io/v1/callback#access_token=implicit-token&token_type=bearer&expires_in=3600&state=state-5678');
    s.addFormCredentials('https://api.example.com/users?page=2');
    const text = 'code-1234 verifier-5678 ref-9999 pw with space code-from-url implicit-token';
    expect(s.redactText(text)).toBe(Array(6).fill('[redacted]').join(' '));
    expect(s.redactText('authorization_code my-client alice state-1234 state-5678 bearer 3600 refresh_token')).toBe(
      'authorization_code my-client alice state-1234 state-5678 bearer 3600 refresh_token',
    );
  });

  it('treats vault:, secret-typed and secret-named variables as secrets, not the oauth_ settings', () => {
    expect(
      ['vault:x', 'oauth_client_secret', 'oauth_access_token', 'oauth_refresh_token', 'oauth_pending_verifier', 'db_password', 'stripe_api_key'].map((k) =>
        isSecretVariable(k),
      ),
    ).toEqual([true, true, true, true, true, true, true]);
    expect(isSecretVariable('anything', 'secret')).toBe(true);
    expect(['oauth_token_url', 'oauth_token_store', 'oauth_client_id', 'baseUrl', 'environment'].map((k) => isSecretVariable(k))).toEqual([false, false, false, false, false]);
  });
});

describe('run options', () => {
  it('takes --reporter-<name>-<option> out of the arguments the way newman does', () => {
    const { rest, reporter } = extractReporterOptions(['c.json', '--reporter-junit-export', 'out.xml', '--reporter-cli-no-summary', '-r', 'cli,junit', '--reporter-htmlextra-title=My run']);
    expect(rest).toEqual(['c.json', '-r', 'cli,junit']);
    expect(reporter).toEqual({ junit: { export: 'out.xml' }, cli: { noSummary: true }, htmlextra: { title: 'My run' } });
  });

  it('parses reporters and key=value pairs, with exact messages for bad ones', () => {
    expect(reporterNames(['cli,json', 'junit', 'json'])).toEqual(['cli', 'json', 'junit']);
    expect(reporterNames(undefined)).toEqual(['cli']);
    expect(reporterNames([])).toEqual(['cli']);
    expect(keyValues('env-var', ['a=b=c', 'k='])).toEqual([{ key: 'a', value: 'b=c' }, { key: 'k', value: '' }]);
    expect(() => keyValues('env-var', ['=x'])).toThrow('--env-var "=x" must look like key=value.');
    expect(() => reporterNames(['cli;rm'])).toThrow('--reporters "cli;rm" is not a reporter name (cli, json, junit, progress, emojitrain or an installed newman-reporter-<name>).');
  });
});
