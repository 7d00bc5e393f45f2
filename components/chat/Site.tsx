'use client';

import { createContext, useContext, type ReactNode } from 'react';
import type { PublicSite } from '@/lib/validation/admin';
import { useChat } from './ChatProvider';

const DEFAULT: PublicSite = { siteName: 'Chattrix', registration: 'open', channelCreation: 'everyone', maxUploadBytes: 16 * 1024 * 1024, retentionDays: null, iconUrl: null };
const SiteContext = createContext<PublicSite>(DEFAULT);

/** The site's settings as the chat shell was rendered with them (the admin console changes them; a reload shows it). */
export function SiteProvider({ site, children }: { site: PublicSite; children: ReactNode }) {
  return <SiteContext.Provider value={site}>{children}</SiteContext.Provider>;
}

export function useSite(): PublicSite {
  return useContext(SiteContext);
}

/** Whether this person may create channels (the admin may keep that to admins). */
export function useCanCreateChannel(): boolean {
  const site = useSite();
  const isAdmin = useChat((s) => s.me.isAdmin);
  return site.channelCreation === 'everyone' || isAdmin;
}
