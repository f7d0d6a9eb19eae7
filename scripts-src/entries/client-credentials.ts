/**
 * Bundle entry: the collection-level pre-request script for the client
 * credentials grant only (RFC 6749 section 4.4), without the user-context grants
 * (no sign-in, PKCE or callback parsing code): `inject --slim` embeds it, for
 * pipelines that want the least per-request cost.
 */
import { runPreRequest } from '../pre-request.ts';

runPreRequest(pm);
