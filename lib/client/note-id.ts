/** An id for a note made in this tab (a command that could not even be sent). */
export function newClientNoteId(): string {
  return `local-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 10)}`;
}
