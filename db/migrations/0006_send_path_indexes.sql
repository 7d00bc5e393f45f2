DROP INDEX "conversations_updated_idx";--> statement-breakpoint
DROP INDEX "messages_sender_idx";--> statement-breakpoint
DROP INDEX "messages_reply_to_idx";--> statement-breakpoint
DROP INDEX "messages_pinned_by_idx";--> statement-breakpoint
CREATE INDEX "messages_reply_to_idx" ON "messages" USING btree ("reply_to_id") WHERE "messages"."reply_to_id" is not null;--> statement-breakpoint
CREATE INDEX "messages_pinned_by_idx" ON "messages" USING btree ("pinned_by_id") WHERE "messages"."pinned_by_id" is not null;