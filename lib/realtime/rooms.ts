/** Room names come from here only. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  presence: (userId: string) => `presence:${userId}`,
  /** Every socket opened with one session cookie / one personal access token: ending it disconnects them. */
  session: (id: string) => `session:${id}`,
  token: (id: string) => `token:${id}`,
};
