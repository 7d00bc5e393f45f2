import { requireUser } from '@/lib/auth/request';
import { json, readJson, route } from '@/lib/http';
import { createChannel } from '@/lib/services/channels';
import { createConversation, listConversations } from '@/lib/services/conversations';
import { createConversationSchema } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  return json({ conversations: await listConversations(actor) });
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const input = await readJson(req, createConversationSchema);
  if (input.kind === 'channel') return json({ conversation: await createChannel(actor, input) }, 201);
  const { conversation, created } = await createConversation(actor, input);
  return json({ conversation }, created ? 201 : 200);
});
