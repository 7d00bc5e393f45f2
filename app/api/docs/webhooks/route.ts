import { docsResponse } from '@/lib/docs/html';
import { webhooksDocsHtml } from '@/lib/docs/webhooks';

export const dynamic = 'force-dynamic';

export function GET(): Response {
  return docsResponse({ title: 'Webhooks and slash commands', path: '/api/docs/webhooks', body: webhooksDocsHtml() });
}
