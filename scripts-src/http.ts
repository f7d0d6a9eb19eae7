/** A request the script sends to a token endpoint, independent of the sandbox API. */
export interface TokenHttpRequest {
  method: 'POST';
  url: string;
  headers: Record<string, string>;
  /** Already serialised `application/x-www-form-urlencoded` body. */
  body: string;
}

/** What the script needs to know of an HTTP response. */
export interface TokenHttpResponse {
  status: number;
  headers: Record<string, string>;
  body: string;
}
