/**
 * Response bodies in the shapes Genesys Cloud uses (see ../shared/FACTS.md).
 * Token endpoint errors: `{error, description, error_description}`.
 * Platform API errors: `{message, code, status, contextId?, details, errors}`.
 */
export function tokenError(error: string, description: string) {
  return { error, description, error_description: description };
}

export function apiError(status: number, code: string, message: string) {
  return { message, code, status, details: [], errors: [] };
}

export const API_ERRORS = {
  noBearer: apiError(401, 'authentication.required', 'No authentication bearer token specified in authorization header.'),
  badCredentials: apiError(401, 'bad.credentials', 'Invalid login credentials.'),
  notAUser: apiError(
    400,
    'bad.request',
    'This request requires a user context. Client credentials cannot be used for requests to this resource.',
  ),
} as const;
