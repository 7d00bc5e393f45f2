import { DraftsView } from '@/components/chat/compose/DraftsView';

export default function DraftsPage() {
  return <DraftsView />;
}
