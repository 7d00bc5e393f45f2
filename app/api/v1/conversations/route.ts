import { requireUser } from '@/lib/auth/request';
import { json, readJson, readQuery, route } from '@/lib/http';
import { createChannel } from '@/lib/services/channels';
import { createConversation, listConversationPage, listConversations } from '@/lib/services/conversations';
import { createConversationSchema, listConversationsQuery } from '@/lib/validation/conversations';

export const dynamic = 'force-dynamic';

export const GET = route(async (req) => {
  const actor = await requireUser(req);
  const query = readQuery(req, listConversationsQuery);
  if (query.limit === undefined && query.cursor === undefined) return json({ conversations: await listConversations(actor) });
  return json(await listConversationPage(actor, { limit: query.limit ?? 100, cursor: query.cursor }));
});

export const POST = route(async (req) => {
  const actor = await requireUser(req);
  const input = await readJson(req, createConversationSchema);
  if (input.kind === 'channel') return json({ conversation: await createChannel(actor, input) }, 201);
  const { conversation, created } = await createConversation(actor, input);
  return json({ conversation }, created ? 201 : 200);
});
