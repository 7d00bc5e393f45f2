/** Who is acting: resolved once per transport (session cookie, bearer token or socket handshake). */
export interface Actor {
  id: string;
  username: string;
  isAdmin: boolean;
  via: 'session' | 'token';
}
