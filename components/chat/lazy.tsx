'use client';

/**
 * Panels and dialogs the chat page shows only when asked: each is its own chunk, fetched the first time it opens
 * (the service worker precaches every chunk, so they open offline too). What the first screen needs stays in the
 * page's JavaScript.
 */
import dynamic from 'next/dynamic';
import { useRef } from 'react';

export const ThreadPanel = dynamic(() => import('./ThreadPanel').then((m) => m.ThreadPanel));
export const ChannelSettings = dynamic(() => import('./ChannelSettings').then((m) => m.ChannelSettings));
export const MembersPanel = dynamic(() => import('./MembersPanel').then((m) => m.MembersPanel));
export const ProfileCard = dynamic(() => import('./ProfileCard').then((m) => m.ProfileCard));
export const ReportDialog = dynamic(() => import('./ReportDialog').then((m) => m.ReportDialog));
export const NewGroupDialog = dynamic(() => import('./NewGroupDialog').then((m) => m.NewGroupDialog));
export const QuickSwitcher = dynamic(() => import('./KeyboardDialogs').then((m) => m.QuickSwitcher));
export const ShortcutsDialog = dynamic(() => import('./KeyboardDialogs').then((m) => m.ShortcutsDialog));
export const ReactionPicker = dynamic(() => import('./EmojiPickers').then((m) => m.ReactionPicker));
export const ComposerEmojiGrid = dynamic(() => import('./EmojiPickers').then((m) => m.ComposerEmojiGrid));
export const SendLaterPanel = dynamic(() => import('./compose/SendLaterPanel').then((m) => m.SendLaterPanel));
export const IntegrationCards = dynamic(() => import('./IntegrationCards').then((m) => m.IntegrationCards));
export const CreateChannelDialog = dynamic(() => import('./CreateChannelDialog').then((m) => m.CreateChannelDialog));

/**
 * True from the first render where `open` is true, for good: a dialog is mounted (and its chunk fetched) when it
 * first opens, then stays mounted, so closing it returns focus as before and reopening it costs nothing.
 */
export function useOpenedOnce(open: boolean): boolean {
  const opened = useRef(false);
  if (open) opened.current = true;
  return opened.current;
}
