import { ThreadsView } from '@/components/chat/ThreadsView';

export default function ThreadsPage() {
  return <ThreadsView />;
}
