/**
 * Bundle entry: the collection-level pre-request script with every grant.
 * Rollup wraps it in an IIFE so nothing leaks into (or collides with) the
 * sandbox's globals, such as Newman's predeclared `CryptoJS`.
 */
import { runPreRequest } from '../pre-request.ts';
import { ensureUserToken } from '../user-grants.ts';

runPreRequest(pm, ensureUserToken);
