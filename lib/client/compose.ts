import { useSyncExternalStore } from 'react';
import type { CustomEmojiDto, DraftDto } from '../validation/compose';

/**
 * Browser-side state for composing: the person's drafts (from the server, kept in localStorage too so a reload
 * offline still shows them) and the site's custom emoji. Tiny external stores read with useSyncExternalStore.
 */
function createStore<T>(initial: T) {
  let value = initial;
  const listeners = new Set<() => void>();
  return {
    get: () => value,
    set(next: T) {
      value = next;
      for (const l of listeners) l();
    },
    subscribe(l: () => void) {
      listeners.add(l);
      return () => listeners.delete(l);
    },
  };
}

/** This tab's id: `draft:updated` events it caused carry it and are ignored here. */
export const TAB_ORIGIN = typeof crypto !== 'undefined' && 'randomUUID' in crypto ? crypto.randomUUID() : `${Date.now()}-${Math.random()}`;

export const draftKey = (conversationId: string, threadId?: string | null) => `${conversationId}:${threadId ?? ''}`;

// ---------------------------------------------------------------------------------------------------------------
// Drafts

export const draftStore = createStore<Record<string, DraftDto>>({});
let localUser: string | null = null;
const localName = () => `chattrix-drafts:${localUser}`;

function persist(): void {
  if (!localUser) return;
  try {
    localStorage.setItem(localName(), JSON.stringify(draftStore.get()));
  } catch {
    /* storage full or unavailable */
  }
}

/** Loads this device's copy (before the server answers, and offline). */
export function loadLocalDrafts(userId: string): void {
  localUser = userId;
  try {
    const raw = localStorage.getItem(localName());
    if (raw) draftStore.set({ ...(JSON.parse(raw) as Record<string, DraftDto>), ...draftStore.get() });
  } catch {
    /* ignore a malformed copy */
  }
}

/** Every local change or live event bumps this; a server list fetched before a change must not undo it. */
let changeSeq = 0;
const changedAt = new Map<string, number>();

/** Call before fetching the server's list; pass the answer to mergeServerDrafts with it. */
export function draftSnapshot(): number {
  return changeSeq;
}

/** A draft changed (here, or on another device by a live event): body '' removes it. */
export function putDraft(d: DraftDto): void {
  const key = draftKey(d.conversationId, d.threadId);
  changedAt.set(key, ++changeSeq);
  const all = { ...draftStore.get() };
  if (d.body.trim() === '') delete all[key];
  else all[key] = d;
  draftStore.set(all);
  persist();
}

/**
 * The server's list replaces what this device knew, except for drafts changed here (or by a live event) since the
 * list was asked for, and drafts kept only here that are newer than the server's (typed offline).
 */
export function mergeServerDrafts(list: DraftDto[], snapshot: number): void {
  const local = draftStore.get();
  const server = new Map(list.map((d) => [draftKey(d.conversationId, d.threadId), d]));
  const next: Record<string, DraftDto> = {};
  for (const key of new Set([...server.keys(), ...Object.keys(local)])) {
    const mine = local[key];
    const theirs = server.get(key);
    const pick = (changedAt.get(key) ?? 0) > snapshot ? mine : !theirs ? mine : mine && mine.updatedAt > theirs.updatedAt ? mine : theirs;
    if (pick) next[key] = pick;
  }
  draftStore.set(next);
  persist();
}

export function useDrafts(): Record<string, DraftDto> {
  return useSyncExternalStore(draftStore.subscribe, draftStore.get, draftStore.get);
}

export function useDraftOf(conversationId: string, threadId?: string | null): DraftDto | undefined {
  const key = draftKey(conversationId, threadId);
  return useSyncExternalStore(
    draftStore.subscribe,
    () => draftStore.get()[key],
    () => draftStore.get()[key],
  );
}

// ---------------------------------------------------------------------------------------------------------------
// Custom emoji

export const emojiStore = createStore<CustomEmojiDto[] | null>(null);

export function useCustomEmoji(): CustomEmojiDto[] {
  return useSyncExternalStore(emojiStore.subscribe, () => emojiStore.get() ?? NONE, () => NONE);
}
const NONE: CustomEmojiDto[] = [];

export function applyEmojiUpdate(p: { emoji?: CustomEmojiDto; deleted?: string }): void {
  const list = (emojiStore.get() ?? []).filter((e) => e.name !== (p.emoji?.name ?? p.deleted));
  if (p.emoji) list.push(p.emoji);
  emojiStore.set(list.sort((a, b) => a.name.localeCompare(b.name)));
}
