import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { readCallback, type CallbackResult } from '../scripts-src/callback-url.ts';
import { OAuthKitError } from '../scripts-src/errors.ts';
import { CliError, EXIT } from './errors.ts';

/**
 * The loopback redirect listener of `postman-oauth-kit login` (RFC 8252 section
 * 7.3): `http://127.0.0.1:<port>/callback`. A code arrives in the query; an
 * implicit token arrives in the fragment, which browsers never send, so the
 * callback page posts it back with a small script.
 */
export interface LoopbackListener {
  redirectUri: string;
  /** Resolves with the first valid redirect; rejects on an error redirect, a state mismatch or the timeout. */
  result: Promise<CallbackResult>;
  close(): Promise<void>;
}

function html(res: ServerResponse, status: number, title: string, text: string, script = ''): void {
  const escaped = (s: string) => s.replace(/[&<>"']/g, (c) => `&#${c.charCodeAt(0)};`);
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
  res.end(
    `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>${escaped(title)}</title></head>` +
      `<body><h1>${escaped(title)}</h1><p id="result">${escaped(text)}</p>${script}</body></html>`,
  );
}

/** Posts `location.hash` back to the listener, then shows what it answered. */
const FRAGMENT_PAGE_SCRIPT =
  '<script>(function () {' +
  "var p = document.getElementById('result');" +
  "fetch('/callback', { method: 'POST', headers: { 'Content-Type': 'text/plain' }, body: location.hash.replace(/^#/, '') })" +
  '.then(function (r) { return r.text().then(function (t) { document.open(); document.write(t); document.close(); }); })' +
  ".catch(function (e) { p.textContent = 'Could not hand the sign-in to postman-oauth-kit: ' + e; });" +
  '})();</script>';

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let body = '';
    req.setEncoding('utf8');
    req.on('data', (chunk: string) => {
      body += chunk;
      if (body.length > 64 * 1024) req.destroy();
    });
    req.on('end', () => resolve(body));
    req.on('error', reject);
  });
}

export async function startLoopbackListener(options: {
  port: number;
  responseType: 'code' | 'token';
  expectedState: string;
  timeoutMs: number;
}): Promise<LoopbackListener> {
  let settle: { resolve(r: CallbackResult): void; reject(e: Error): void } | undefined;
  const result = new Promise<CallbackResult>((resolve, reject) => (settle = { resolve, reject }));
  let done = false;
  const finish = (outcome: CallbackResult | Error) => {
    if (done) return;
    done = true;
    if (outcome instanceof Error) settle?.reject(outcome);
    else settle?.resolve(outcome);
  };

  const handle = (res: ServerResponse, redirect: string) => {
    try {
      const outcome = readCallback(redirect, options.responseType, 'the redirect');
      if (outcome.state === undefined || outcome.state !== options.expectedState) {
        html(res, 400, 'Sign-in rejected', 'The "state" of this redirect does not match the sign-in postman-oauth-kit started. Start again.');
        finish(
          new CliError(
            'STATE_MISMATCH',
            `the redirect's "state" ${outcome.state === undefined ? 'is missing' : 'does not match the one this login sent'}, so the sign-in was rejected (RFC 6749 section 10.12). Run login again.`,
            EXIT.failed,
          ),
        );
        return;
      }
      html(res, 200, 'Signed in', 'postman-oauth-kit received the sign-in. You can close this tab and return to the terminal.');
      finish(outcome);
    } catch (error) {
      const message = error instanceof OAuthKitError ? error.message : String(error);
      html(res, 400, 'Sign-in failed', message);
      finish(new CliError(error instanceof OAuthKitError ? error.code : 'SIGN_IN_FAILED', `${message} Run login again.`, EXIT.failed));
    }
  };

  const server: Server = createServer((req, res) => {
    const url = req.url ?? '/';
    const path = url.replace(/[?#].*$/, '');
    if (path !== '/callback') {
      html(res, 404, 'Not found', 'This is the postman-oauth-kit sign-in listener; it only serves /callback.');
      return;
    }
    if (req.method === 'POST') {
      readBody(req).then(
        (body) => (body.trim() === '' ? html(res, 400, 'Sign-in failed', 'The redirect carried no #fragment.') : handle(res, '#' + body)),
        () => html(res, 400, 'Sign-in failed', 'Could not read the posted fragment.'),
      );
      return;
    }
    const query = url.includes('?') ? url.slice(url.indexOf('?')) : '';
    if (query.length > 1) {
      handle(res, query);
      return;
    }
    // No query: the implicit grant's token (or error) is in the fragment, which only the page can read.
    html(res, 200, 'Completing sign-in', 'Handing the sign-in to postman-oauth-kit...', FRAGMENT_PAGE_SCRIPT);
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new CliError('PORT_IN_USE', `port ${options.port} is already in use on 127.0.0.1. Pass --port <n> with the port of another redirect URI registered for the client.`, EXIT.failed)
          : error,
      ),
    );
    server.listen(options.port, '127.0.0.1', () => resolve());
  });
  const port = (server.address() as { port: number }).port;
  const timer = setTimeout(
    () =>
      finish(
        new CliError(
          'SIGN_IN_TIMEOUT',
          `no sign-in arrived within ${Math.round(options.timeoutMs / 1000)} seconds. Run login again (and --timeout <seconds> for more time).`,
          EXIT.failed,
        ),
      ),
    options.timeoutMs,
  );
  timer.unref();
  return {
    redirectUri: `http://127.0.0.1:${port}/callback`,
    result,
    close: () =>
      new Promise<void>((resolve) => {
        clearTimeout(timer);
        server.closeAllConnections?.();
        server.close(() => resolve());
      }),
  };
}
