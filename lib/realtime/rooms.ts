/** Room names come from here only. */
export const rooms = {
  user: (id: string) => `user:${id}`,
  conversation: (id: string) => `conversation:${id}`,
  presence: (userId: string) => `presence:${userId}`,
};
