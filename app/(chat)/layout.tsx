import { headers } from 'next/headers';
import { redirect } from 'next/navigation';
import type { ReactNode } from 'react';
import { ChatShell } from '@/components/chat/ChatShell';
import { currentActor } from '@/lib/auth/current';
import { loginUrlFor } from '@/lib/auth/next-path';
import { getPublicSite } from '@/lib/services/settings';
import { getMe } from '@/lib/services/users';

export const dynamic = 'force-dynamic';

export default async function ChatLayout({ children }: { children: ReactNode }) {
  const actor = await currentActor();
  // Back where they were after signing in (proxy.ts passes the path; only same-site paths are kept).
  if (!actor) redirect(loginUrlFor((await headers()).get('x-chattrix-path')));
  const me = await getMe(actor);
  return (
    <ChatShell me={me} site={await getPublicSite()}>
      {children}
    </ChatShell>
  );
}
