import { ConversationView } from '@/components/chat/ConversationView';

/**
 * The client keeps this route's answer for 5 min: switching back to a conversation opened before shows it at once, with no
 * request (the page is only the view; its messages and state are the store's, kept live by the socket).
 */
export const unstable_dynamicStaleTime = 300;

export default async function ConversationPage({ params }: { params: Promise<{ id: string }> }) {
  const { id } = await params;
  return <ConversationView key={id} id={id} />;
}
