import { mkdtempSync } from 'node:fs'; import os from 'node:os'; import path from 'node:path';
const { initDb, getDb, closeDb } = await import('../db');
const { users, conversations, conversationMembers } = await import('../db/schema');
const mq = await import('../db/queries/messages');
const { sql } = await import('drizzle-orm');
await initDb({ databaseUrl: process.env.CHECK_DB, dataDir: mkdtempSync(path.join(os.tmpdir(), 'chk-')) });
const db = getDb(); const R = Math.random().toString(36).slice(2, 8);
const U = Array.from({ length: 200 }, (_, i) => `u${i}${R}`); const C = Array.from({ length: 100 }, (_, i) => `c${i}${R}`);
await db.insert(users).values(U.map((id) => ({ id, username: id, displayName: id, passwordHash: 'x' })));
await db.insert(conversations).values(C.map((id) => ({ id, kind: 'direct' as const })));
await db.insert(conversationMembers).values(C.flatMap((c, i) => [{ conversationId: c, userId: U[2 * i]! }, { conversationId: c, userId: U[2 * i + 1]! }]));
let n = 0;
const batch = (size: number) => Array.from({ length: size }, () => { const k = n++; const p = k % 100; const u = U[2 * p + (k % 2)]!; return { id: `m${k}${R}`, conversationId: C[p]!, senderId: u, kind: 'user' as const, body: `bench message ${k} xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx`, clientId: `cl${k}xxxxxx`, replyToId: null, attachmentIds: [], mentionUserIds: [] }; });
for (let b = 0; b < 40; b++) { const t = performance.now(); await mq.insertMessageBatch({ rows: batch(500) }); if (b % 8 === 7) console.log('after', n, 'batch500', (performance.now() - t).toFixed(1)); }
for (const size of [1, 10, 100]) { const ts = []; for (let k = 0; k < 10; k++) { const t = performance.now(); await mq.insertMessageBatch({ rows: batch(size) }); ts.push(performance.now() - t); } ts.sort((a, b) => a - b); console.log('batch', size, 'min', ts[0]!.toFixed(1), 'med', ts[5]!.toFixed(1)); }
const j = JSON.stringify(batch(100).map((r, idx) => ({ ...r, idx })));
const res = await db.execute(sql.raw(`explain analyze with batch_in as materialized (select * from jsonb_to_recordset('${j}'::jsonb) as x(idx int, id text, "conversationId" text, "senderId" text, kind text, body text, "clientId" text, "replyToId" text)),
  fresh as materialized (select i.* from batch_in i where i."clientId" is null or i."senderId" is null or not exists (select 1 from messages m where m.sender_id = i."senderId" and m.client_id = i."clientId")),
  counts as (select "conversationId" as cid, count(*)::bigint as n from fresh group by 1),
  locked as materialized (select c.id from conversations c where c.id in (select cid from counts) order by c.id for update),
  bump as (update conversations c set last_seq = c.last_seq + k.n from counts k join locked l on l.id = k.cid where c.id = k.cid returning c.id, c.last_seq - k.n as base),
  ins as (insert into messages (id, conversation_id, seq, sender_id, kind, body, client_id, reply_to_id, created_at)
    select f.id, f."conversationId", b.base + row_number() over (partition by f."conversationId" order by f.idx), f."senderId", f.kind, f.body, f."clientId", f."replyToId", now()
    from fresh f join bump b on b.id = f."conversationId" order by f.idx on conflict do nothing returning id, seq, conversation_id, sender_id, kind),
  reads as (update conversation_members cm set last_read_seq = r.seq, last_read_message_id = r.id from (select distinct on (conversation_id, sender_id) conversation_id, sender_id, seq, id from ins where kind = 'user' and sender_id is not null order by conversation_id, sender_id, seq desc) r where cm.conversation_id = r.conversation_id and cm.user_id = r.sender_id and cm.last_read_seq < r.seq)
  select id, seq from ins`));
const rows = (Array.isArray(res) ? res : (res as { rows: unknown[] }).rows) as Record<string, string>[];
for (const r of rows) console.log(Object.values(r)[0]);
await closeDb();
