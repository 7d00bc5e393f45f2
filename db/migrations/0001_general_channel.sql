-- The public channel every account joins (the original app's "Public Chat").
INSERT INTO "conversations" ("id", "kind", "title", "slug") VALUES ('general', 'channel', 'general', 'general') ON CONFLICT DO NOTHING;
