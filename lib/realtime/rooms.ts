/** Room names come from here only. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  /** Sockets reading a public channel they have not joined: they hear what its members hear, and can do nothing. */
  watch: (id: string) => `watch:${id}`,
  presence: (userId: string) => `presence:${userId}`,
  /** Every socket opened with one session cookie / one personal access token: ending it disconnects them. */
  session: (id: string) => `session:${id}`,
  token: (id: string) => `token:${id}`,
};
