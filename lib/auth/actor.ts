/** Who is acting: resolved once per transport (session cookie, bearer token or socket handshake). */
export interface Actor {
  id: string;
  username: string;
  isAdmin: boolean;
  via: 'session' | 'token';
  /** The session (cookie) or personal access token this request came with. */
  sessionId?: string;
  tokenId?: string;
  /** A token's scopes; a session has every scope. */
  scopes?: readonly TokenScope[];
  /** When the session or token stops working (ms since the epoch), if known. */
  expiresAt?: number;
}

export const tokenScopes = ['read', 'write'] as const;
export type TokenScope = (typeof tokenScopes)[number];

/** Whether this actor may change state (a session always; a token only with the `write` scope). */
export function canWrite(actor: Pick<Actor, 'scopes'>): boolean {
  return !actor.scopes || actor.scopes.includes('write');
}
