import { docsResponse } from '@/lib/docs/html';
import { realtimeDocsHtml } from '@/lib/docs/realtime';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return docsResponse({ title: 'Socket.IO events', path: '/api/docs/realtime', body: realtimeDocsHtml() });
}
