/**
 * Moderation: anyone who can read a message may report it (once, with a reason); site admins see the open reports
 * with the message in its context and act on them: delete the message, warn its author (a direct message from the
 * admin), deactivate the author, or dismiss. One decision closes every open report of that message, and is
 * recorded in the audit log (security events) on the author.
 */
import * as mq from '../../db/queries/messages';
import * as rq from '../../db/queries/moderation';
import { getConversationById } from '../../db/queries/conversations';
import { getUsersByIds } from '../../db/queries/users';
import type { Actor } from '../auth/actor';
import { AppError } from '../errors';
import { newId } from '../ids';
import { iso, type MessageDto } from '../validation/dto';
import type { reportActions } from '../validation/admin';
import { adminUpdateUser, requireAdmin } from './admin';
import { createConversation } from './conversations';
import { getMessage, hydrateMessages, sendMessage, tombstone } from './messages';
import { recordSecurityEvent } from './security-events';
import { toUserRef } from './users';

export type ReportAction = (typeof reportActions)[number];

function reportDto(r: rq.ReportRow) {
  return { id: r.id, messageId: r.messageId, reason: r.reason, status: r.status, action: r.action, resolvedAt: iso(r.resolvedAt), createdAt: iso(r.createdAt)! };
}

export async function reportMessage(actor: Actor, messageId: string, reason: string) {
  // getMessage checks that the caller may read it (a non-reader gets not_found and learns nothing).
  const m = await getMessage(actor, messageId);
  if (m.kind !== 'user') throw new AppError('bad_request', 'Only people’s messages can be reported');
  if (m.sender?.id === actor.id) throw new AppError('bad_request', 'This is your own message: edit or delete it instead');
  if (m.deletedAt) throw new AppError('conflict', 'This message was deleted');
  const row = await rq.insertReport({ id: newId(), messageId, reporterId: actor.id, reason });
  if (!row) throw new AppError('conflict', 'You already reported this message; the admins will look at it');
  return reportDto(row);
}

/** Open (or closed) reports, newest first, each with the message, two messages either side and who reported it. */
export async function adminListReports(actor: Actor, query: { status: 'open' | 'closed' | 'all'; limit: number }) {
  requireAdmin(actor);
  const rows = await rq.listReports(query);
  const messageIds = [...new Set(rows.map((r) => r.messageId))];
  const [people, counts, messages] = await Promise.all([
    getUsersByIds({ ids: [...new Set(rows.flatMap((r) => [r.reporterId, ...(r.resolvedBy ? [r.resolvedBy] : [])]))] }),
    rq.countOpenReports({ messageIds }),
    Promise.all(messageIds.map((id) => mq.getMessageById({ id }))),
  ]);
  const byId = new Map(people.map((u) => [u.id, toUserRef(u)]));
  const context = new Map<string, { message: MessageDto; before: MessageDto[]; after: MessageDto[]; conversation: { id: string; kind: string; title: string | null } }>();
  for (const m of messages) {
    if (!m) continue;
    const [older, newer, conversation] = await Promise.all([
      mq.listMessagesPage({ conversationId: m.conversationId, beforeSeq: m.seq, fromSeq: 0, limit: 2 }),
      mq.listMessagesPage({ conversationId: m.conversationId, afterSeq: m.seq, fromSeq: 0, limit: 2 }),
      getConversationById({ id: m.conversationId }),
    ]);
    const [message, ...rest] = await hydrateMessages([m, ...older.rows, ...newer.rows]);
    context.set(m.id, {
      message: message!,
      before: rest.slice(0, older.rows.length),
      after: rest.slice(older.rows.length),
      conversation: { id: m.conversationId, kind: conversation?.kind ?? 'group', title: conversation?.title ?? null },
    });
  }
  return rows.map((r) => ({
    ...reportDto(r),
    reporter: byId.get(r.reporterId) ?? null,
    resolvedBy: r.resolvedBy ? (byId.get(r.resolvedBy) ?? null) : null,
    reportCount: counts.get(r.messageId) ?? 0,
    ...(context.get(r.messageId) ?? { message: null, before: [], after: [], conversation: null }),
  }));
}

const DEFAULT_WARNING = 'A message of yours was reported and an admin reviewed it. Please keep to this server’s rules.';

export async function adminResolveReport(actor: Actor, id: string, input: { action: ReportAction; note?: string }) {
  requireAdmin(actor);
  const report = await rq.getReport({ id });
  if (!report) throw new AppError('not_found', 'No such report');
  if (report.status !== 'open') throw new AppError('conflict', 'This report was already handled');
  const message = await mq.getMessageById({ id: report.messageId });
  if (!message) throw new AppError('not_found', 'No such message');
  const authorId = message.senderId;
  if (input.action === 'delete') {
    await tombstone(message);
  } else if (input.action === 'warn' || input.action === 'deactivate') {
    if (!authorId) throw new AppError('bad_request', 'This message has no author to act on');
    if (authorId === actor.id) throw new AppError('bad_request', 'This is your own message');
    if (input.action === 'deactivate') await adminUpdateUser(actor, authorId, { deactivated: true });
    else {
      const { conversation } = await createConversation(actor, { kind: 'direct', userId: authorId });
      const quote = message.body.length > 200 ? `${message.body.slice(0, 200)}…` : message.body;
      const body = `${input.note || DEFAULT_WARNING}\n\n> ${quote.replace(/\n/g, '\n> ')}`;
      await sendMessage(actor, conversation.id, { body, clientId: `warn-${report.id}` });
    }
  }
  const closed = await rq.closeReportsOfMessage({
    messageId: message.id,
    status: input.action === 'dismiss' ? 'dismissed' : 'resolved',
    action: input.action,
    by: actor.id,
  });
  await recordSecurityEvent({
    userId: authorId,
    type: 'admin_report_resolved',
    detail: { by: actor.id, byUsername: actor.username, reportId: report.id, messageId: message.id, action: input.action, reports: closed.length },
  });
  return reportDto(closed.find((r) => r.id === report.id) ?? (await rq.getReport({ id }))!);
}
