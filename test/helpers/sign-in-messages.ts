/**
 * The sign-in instructions a redirect grant (authorization_code, pkce,
 * implicit) shows when the Postman app sends a request without a token, as the
 * failed check's `name: error` line; shared by the app-engine tests.
 */
export const TERMINAL =
  'From a terminal: postman-oauth-kit login <collection.json> -e <environment.json>, then newman run <collection.json> -e <environment.json>.';

/** The failure line asking the user to sign in at `url`, after `why`. */
export function signInMessage(why: string, url: string): string {
  const message = `${why} To sign in, open ${url} in a browser, sign in, then paste the whole address the browser is redirected to into the variable "oauth_callback_url" and send again. ${TERMINAL}`;
  return `[postman-oauth-kit] ${message}: ${message} The request was not sent.`;
}

/** The authorization URL a sign-in failure line tells the user to open. */
export function urlIn(failure: string): string {
  const match = /To sign in, open (\S+) in a browser/.exec(failure);
  if (!match) throw new Error(`no URL in ${failure}`);
  return match[1] as string;
}
