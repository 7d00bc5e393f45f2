import { ConversationView } from '@/components/chat/ConversationView';

/** A message's permalink: the conversation opened at that message (a thread reply opens its thread). */
export default async function PermalinkPage({ params }: { params: Promise<{ id: string; messageId: string }> }) {
  const { id, messageId } = await params;
  return <ConversationView key={id} id={id} permalink={messageId} />;
}
