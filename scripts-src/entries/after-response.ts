/**
 * Bundle entry: the collection-level post-response ("test") script that
 * recovers from a 401 on a request carrying our token (see after-response.ts).
 */
import { runAfterResponse } from '../after-response.ts';

runAfterResponse(pm);
