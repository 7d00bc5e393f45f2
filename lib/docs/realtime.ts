/**
 * The Socket.IO events page, rendered from lib/docs/realtime-events.json, which scripts/realtime-docs.ts generates
 * from the typed contract (lib/realtime/contract.ts) — nothing here is copied by hand from the contract.
 */
import type { EventDoc, FieldDoc, RealtimeDocs } from '../../scripts/realtime-docs';
import generated from './realtime-events.json';
import { escapeHtml, inlineMd } from './html';

const docs = generated as RealtimeDocs;

/** Contract DTO names → the OpenAPI schema that describes the same object. */
const schemaOf: Record<string, string> = { MessageDto: 'Message', ConversationDto: 'Conversation', ReactionDto: 'Reaction', UserRefDto: 'UserRef' };

function typeCell(type: string): string {
  return escapeHtml(type).replace(/\b(MessageDto|ConversationDto|ReactionDto|UserRefDto)\b/g, (n) => `<code>${n}</code> (schema <a href="/api/docs">${schemaOf[n]}</a>)`);
}

function table(caption: string, fields: FieldDoc[]): string {
  if (fields.length === 0) return `<p class="muted">${escapeHtml(caption)}: empty object <code>{}</code></p>`;
  const rows = fields
    .map((f) => `<tr><td><code>${escapeHtml(f.name)}</code></td><td>${f.type.includes('{') || /^[a-z|\s[\]"]+$/.test(f.type) ? `<code>${escapeHtml(f.type)}</code>` : typeCell(f.type)}</td><td>${f.optional ? 'no' : 'yes'}</td></tr>`)
    .join('');
  return `<div class="table"><table><caption class="muted">${escapeHtml(caption)}</caption><thead><tr><th scope="col">field</th><th scope="col">type</th><th scope="col">required</th></tr></thead><tbody>${rows}</tbody></table></div>`;
}

function section(e: EventDoc): string {
  const id = `event-${e.event.replace(/[^a-z0-9]+/gi, '-')}`;
  return `<section class="event" aria-labelledby="${id}"><h3 id="${id}"><code>${escapeHtml(e.event)}</code></h3>
${e.description ? `<p>${inlineMd(e.description)}</p>` : ''}
${table('Payload', e.payload)}${e.ack ? table('Acknowledgement data (on { ok: true, data })', e.ack) : ''}</section>`;
}

export function realtimeDocsHtml(): string {
  return `<h1>Socket.IO events</h1>
<p>Connect with <code>socket.io-client</code> to this server (path <code>/socket.io</code>, default namespace). Authenticate
with a personal access token, <code>io(url, { auth: { token } })</code> (bots and servers: no Origin header needed), or,
in the browser, with the session cookie from this origin. A refused handshake is a <code>connect_error</code> whose
message is <code>unauthorized</code>. On connect the socket joins your user room and one room per conversation.</p>
<p>Each client → server event takes an acknowledgement callback that receives
<code>{ ok: true, data }</code> or <code>{ ok: false, error: { code, message } }</code> (the REST error codes).
Generated from <code>lib/realtime/contract.ts</code>; object types link to the matching schema of the REST reference.</p>
<h2 id="client-to-server">Client → server</h2>
${docs.clientToServer.map(section).join('\n')}
<h2 id="server-to-client">Server → client</h2>
${docs.serverToClient.map(section).join('\n')}`;
}
