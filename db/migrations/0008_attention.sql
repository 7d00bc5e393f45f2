ALTER TABLE "users" ADD COLUMN "status_emoji" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "status_text" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "status_clear_at" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dnd_until" timestamp with time zone;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "dnd_schedule" jsonb;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "keywords" text[] DEFAULT ARRAY[]::text[] NOT NULL;--> statement-breakpoint
ALTER TABLE "conversation_members" ADD COLUMN "notify" text;--> statement-breakpoint
UPDATE "conversation_members" SET "notify" = 'none' WHERE "muted" = true;--> statement-breakpoint
CREATE TABLE "keyword_mentions" (
	"message_id" text NOT NULL,
	"user_id" text NOT NULL,
	CONSTRAINT "keyword_mentions_message_id_user_id_pk" PRIMARY KEY("message_id","user_id")
);
--> statement-breakpoint
CREATE TABLE "urgent_pushes" (
	"sender_id" text NOT NULL,
	"recipient_id" text NOT NULL,
	"at" timestamp with time zone DEFAULT now() NOT NULL,
	CONSTRAINT "urgent_pushes_sender_id_recipient_id_pk" PRIMARY KEY("sender_id","recipient_id")
);
--> statement-breakpoint
ALTER TABLE "keyword_mentions" ADD CONSTRAINT "keyword_mentions_message_id_messages_id_fk" FOREIGN KEY ("message_id") REFERENCES "public"."messages"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "keyword_mentions" ADD CONSTRAINT "keyword_mentions_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_pushes" ADD CONSTRAINT "urgent_pushes_sender_id_users_id_fk" FOREIGN KEY ("sender_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "urgent_pushes" ADD CONSTRAINT "urgent_pushes_recipient_id_users_id_fk" FOREIGN KEY ("recipient_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "keyword_mentions_user_idx" ON "keyword_mentions" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "urgent_pushes_recipient_idx" ON "urgent_pushes" USING btree ("recipient_id");--> statement-breakpoint
CREATE INDEX "users_status_clear_at_idx" ON "users" USING btree ("status_clear_at") WHERE "status_clear_at" is not null;
