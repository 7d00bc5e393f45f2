import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { ChatShell } from '@/components/chat/ChatShell';
import { currentActor } from '@/lib/auth/current';
import { getMe } from '@/lib/services/users';

export const dynamic = 'force-dynamic';

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  if (!actor) redirect('/login');
  const me = await getMe(actor);
  return <ChatShell me={me}>{children}</ChatShell>;
}
