/**
 * The webhooks and slash commands page. The delivery example is built from the same function the delivery worker
 * uses (deliveryPayloadExample), and the retry numbers from its constants, so they cannot disagree.
 */
import { SIGNATURE_HEADER, SIGNATURE_TOLERANCE_S } from '../integrations/signature';
import { DELIVERY_TIMEOUT_MS, DISABLE_AFTER_FAILURES, RETRY_WINDOW_MS, deliveryPayloadExample } from '../services/webhook-events';
import { escapeHtml } from './html';

const verifier = `import { createHmac, timingSafeEqual } from 'node:crypto';

/** True when the request body (the exact bytes received) was signed by Chattrix with \`secret\`. */
export function verify(secret: string, rawBody: string, header: string | null): boolean {
  const m = /^t=(\\d+),v1=([0-9a-f]{64})$/.exec(header ?? '');
  if (!m || Math.abs(Date.now() / 1000 - Number(m[1])) > ${SIGNATURE_TOLERANCE_S}) return false;
  const expected = createHmac('sha256', secret).update(\`\${m[1]}.\${rawBody}\`).digest();
  return timingSafeEqual(expected, Buffer.from(m[2]!, 'hex'));
}`;

export function webhooksDocsHtml(): string {
  const hours = RETRY_WINDOW_MS / 3_600_000;
  return `<h1>Webhooks and slash commands</h1>
<h2 id="signature">Signatures</h2>
<p>Everything Chattrix sends to an integration (outgoing webhook deliveries, custom slash command calls) carries</p>
<pre>${SIGNATURE_HEADER}: t=&lt;unix seconds&gt;,v1=&lt;hex HMAC-SHA256 of "&lt;t&gt;.&lt;raw body&gt;" with the secret&gt;</pre>
<p>The secret is shown when the subscription (or command) is created. Recompute the HMAC over the exact bytes you
received (before any JSON parsing), compare in constant time, and refuse a timestamp more than
${SIGNATURE_TOLERANCE_S / 60} minutes away from your clock (replays). In TypeScript:</p>
<pre><code>${escapeHtml(verifier)}</code></pre>

<h2 id="outgoing">Outgoing webhooks</h2>
<p>A subscription sends an HTTPS POST to your URL when one of its events happens. Owners and admins of a
conversation subscribe to it (conversation settings → Outgoing webhooks, or REST
<code>POST /api/v1/conversations/{id}/outgoing-webhooks</code>); a bot's owner subscribes the bot
(<code>POST /api/v1/bots/{id}/outgoing-webhooks</code>).</p>
<div class="table"><table><thead><tr><th scope="col">event <code>type</code></th><th scope="col">sent when</th></tr></thead><tbody>
<tr><td><code>message.created</code></td><td>a message is posted in the subscribed conversation (with a trigger word: only messages whose first word is it)</td></tr>
<tr><td><code>bot.mentioned</code></td><td>the subscribed bot is @mentioned in a conversation it is a member of</td></tr>
<tr><td><code>bot.direct_message</code></td><td>someone sends the subscribed bot a direct message</td></tr>
</tbody></table></div>
<p>Messages sent by the subscription's own bot are never delivered (no loops). The body is JSON:</p>
<pre><code>${escapeHtml(JSON.stringify(deliveryPayloadExample(), null, 2))}</code></pre>
<p>Headers: <code>Content-Type: application/json</code>, <code>${SIGNATURE_HEADER}</code>, <code>Chattrix-Delivery</code>
(the delivery id, the same on every attempt: use it to drop duplicates) and <code>Chattrix-Event</code>.</p>
<h3 id="replies">Replies</h3>
<p>Answer 2xx with <code>{"text": "…"}</code> and the text is posted as the bot, in the same conversation (in the
same thread when the message was a thread reply). Any other 2xx body is accepted and nothing is posted.</p>
<h3 id="retries">Timeouts and retries</h3>
<ul>
<li>Each attempt has ${DELIVERY_TIMEOUT_MS / 1000} s (DNS, connect, answer). Deliveries go through the server's
outbound guard: https to a public address (plain http or private addresses only for hosts an admin lists in
<code>OUTBOUND_ALLOW</code>); redirects are not followed.</li>
<li>A timeout, a connection error or a 5xx is retried with exponential backoff (30 s, 1 min, 2 min, … capped at an
hour) for ${hours} hours after the event; 4xx (and a refused URL) is final.</li>
<li>Deliveries are durable jobs in the database, stored in the same transaction as their message: they survive a
restart (even a crash the moment after the message is stored), and with several nodes each is sent by one node at a
time. A node that dies mid-attempt leaves the delivery to be sent again: drop a repeated <code>Chattrix-Delivery</code>
id.</li>
<li>The subscription keeps its last 50 deliveries (status, HTTP status, duration, attempts) and can redeliver one.
After ${DISABLE_AFTER_FAILURES} failed deliveries in a row it is disabled and its owner gets a direct message
saying so; enable it again from its settings.</li>
</ul>

<h2 id="incoming">Incoming webhooks</h2>
<p>Owners and admins of a conversation create an incoming webhook and get a URL with a secret in it:
<code>POST /hooks/{id}/{secret}</code> with <code>{"text": "…"}</code> (optionally <code>username</code>,
<code>iconUrl</code> and Slack-format <code>attachments</code>) posts as the hook's bot. An
<code>Idempotency-Key</code> header makes a retry post once. A bad payload answers 400 with the error shape.</p>

<h2 id="slash-commands">Slash commands</h2>
<p>Custom commands (registered by admins) POST <code>{command, text, user, conversation, thread?, responseUrl,
triggerId}</code>, signed as above, to their URL. Answer <code>{"text": "…", "responseType": "ephemeral" | "in_channel"}</code>:
ephemeral answers show only to the person who typed the command, in-channel ones post as the command's bot.
<code>responseUrl</code> accepts up to 5 delayed answers of the same shape for 30 minutes.</p>`;
}
