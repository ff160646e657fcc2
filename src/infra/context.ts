/** Who is acting, on what credential: built by the auth plugin, read by services. */
export type Actor =
  | { kind: 'provider'; id: 'provider'; credential: string }
  | { kind: 'platform'; id: string; tenantId: string; credential: string }
  | {
      kind: 'user';
      id: string;
      tenantId: string;
      /** `session:<id>` or `api_token:<id>`. */
      credential: string;
      sessionId?: string;
      /** For API tokens: the scopes that narrow the user's own capabilities (I5). */
      scopes?: readonly string[];
    };

export interface RequestContext {
  /** The server's own id of the request (unique, in logs and the `x-request-id` answer header). */
  requestId: string;
  /** The client's `X-Request-Id`, when it sent a well-formed one; kept apart from `requestId`. */
  clientRequestId?: string;
  actor: Actor;
  clientAddr: string | null;
  /**
   * Where the change comes from when the credential alone does not say it (requests under
   * `/v1/tenants/{t}/scim/` are `scim`); otherwise see `originOf` in `outbox.ts`.
   */
  origin?: 'scim';
}
