'use client';

import { useRouter } from 'next/navigation';
import { useEffect } from 'react';
import { useChat } from './ChatProvider';

/** The installed app's "Newest conversation" shortcut (/?open=newest). */
export function OpenNewest() {
  const router = useRouter();
  const newest = useChat((s) => s.conversations?.[0]?.id);
  useEffect(() => {
    if (newest) router.replace(`/c/${newest}`);
  }, [newest, router]);
  return null;
}
