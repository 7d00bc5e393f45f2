import { useSyncExternalStore } from 'react';
import type { EphemeralDto } from '../validation/commands';

/**
 * Answers of slash commands shown only to you (never stored on the server): kept in this tab until dismissed or
 * reloaded. Both the REST answer and the `command:ephemeral` socket event bring them; one id is shown once.
 */
let notes: EphemeralDto[] = [];
const listeners = new Set<() => void>();

export function addEphemeral(note: EphemeralDto): void {
  if (notes.some((n) => n.id === note.id)) return;
  notes = [...notes, note].slice(-20);
  for (const l of listeners) l();
}

export function dismissEphemeral(id: string): void {
  notes = notes.filter((n) => n.id !== id);
  for (const l of listeners) l();
}

function subscribe(l: () => void) {
  listeners.add(l);
  return () => listeners.delete(l);
}
const none: EphemeralDto[] = [];

export function useEphemeralNotes(): EphemeralDto[] {
  return useSyncExternalStore(subscribe, () => notes, () => none);
}
