ALTER TABLE "users" ADD COLUMN "is_bot" boolean DEFAULT false NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "bot_owner_id" text;--> statement-breakpoint
ALTER TABLE "users" ADD COLUMN "bot_description" text DEFAULT '' NOT NULL;--> statement-breakpoint
ALTER TABLE "users" ADD CONSTRAINT "users_bot_owner_id_users_id_fk" FOREIGN KEY ("bot_owner_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "users_bot_owner_idx" ON "users" USING btree ("bot_owner_id") WHERE "users"."bot_owner_id" is not null;--> statement-breakpoint
ALTER TABLE "messages" ADD COLUMN "integration" jsonb;--> statement-breakpoint
CREATE TABLE "incoming_webhooks" (
	"id" text PRIMARY KEY NOT NULL,
	"conversation_id" text NOT NULL,
	"bot_id" text NOT NULL,
	"name" text NOT NULL,
	"icon_url" text,
	"secret_hash" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "incoming_webhooks" ADD CONSTRAINT "incoming_webhooks_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_webhooks" ADD CONSTRAINT "incoming_webhooks_bot_id_users_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "incoming_webhooks" ADD CONSTRAINT "incoming_webhooks_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE INDEX "incoming_webhooks_conversation_idx" ON "incoming_webhooks" USING btree ("conversation_id");--> statement-breakpoint
CREATE INDEX "incoming_webhooks_bot_idx" ON "incoming_webhooks" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "incoming_webhooks_created_by_idx" ON "incoming_webhooks" USING btree ("created_by");--> statement-breakpoint
CREATE TABLE "slash_commands" (
	"id" text PRIMARY KEY NOT NULL,
	"name" text NOT NULL,
	"url" text NOT NULL,
	"description" text DEFAULT '' NOT NULL,
	"usage_hint" text DEFAULT '' NOT NULL,
	"bot_id" text NOT NULL,
	"signing_secret" text NOT NULL,
	"created_by" text,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "slash_commands" ADD CONSTRAINT "slash_commands_bot_id_users_id_fk" FOREIGN KEY ("bot_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "slash_commands" ADD CONSTRAINT "slash_commands_created_by_users_id_fk" FOREIGN KEY ("created_by") REFERENCES "public"."users"("id") ON DELETE set null ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "slash_commands_name_idx" ON "slash_commands" USING btree (lower("name"));--> statement-breakpoint
CREATE INDEX "slash_commands_bot_idx" ON "slash_commands" USING btree ("bot_id");--> statement-breakpoint
CREATE INDEX "slash_commands_created_by_idx" ON "slash_commands" USING btree ("created_by");--> statement-breakpoint
CREATE TABLE "command_responses" (
	"id" text PRIMARY KEY NOT NULL,
	"token_hash" text NOT NULL,
	"command_id" text NOT NULL,
	"user_id" text NOT NULL,
	"conversation_id" text NOT NULL,
	"thread_id" text,
	"uses" integer DEFAULT 0 NOT NULL,
	"expires_at" timestamp with time zone NOT NULL,
	"created_at" timestamp with time zone DEFAULT now() NOT NULL
);
--> statement-breakpoint
ALTER TABLE "command_responses" ADD CONSTRAINT "command_responses_command_id_slash_commands_id_fk" FOREIGN KEY ("command_id") REFERENCES "public"."slash_commands"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_responses" ADD CONSTRAINT "command_responses_user_id_users_id_fk" FOREIGN KEY ("user_id") REFERENCES "public"."users"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
ALTER TABLE "command_responses" ADD CONSTRAINT "command_responses_conversation_id_conversations_id_fk" FOREIGN KEY ("conversation_id") REFERENCES "public"."conversations"("id") ON DELETE cascade ON UPDATE no action;--> statement-breakpoint
CREATE UNIQUE INDEX "command_responses_token_hash_idx" ON "command_responses" USING btree ("token_hash");--> statement-breakpoint
CREATE INDEX "command_responses_command_idx" ON "command_responses" USING btree ("command_id");--> statement-breakpoint
CREATE INDEX "command_responses_user_idx" ON "command_responses" USING btree ("user_id");--> statement-breakpoint
CREATE INDEX "command_responses_conversation_idx" ON "command_responses" USING btree ("conversation_id");
