/**
 * Bundle entry: the collection-level pre-request script for the client
 * credentials grant only (RFC 6749 section 4.4). Today it is the same code as
 * all-grants, because client credentials is the only grant; once
 * `runPreRequest` takes the grants it may use, this entry passes only this one
 * and its bundle stays small as grants are added.
 */
import { runPreRequest } from '../pre-request.ts';

runPreRequest(pm);
