import { z } from 'zod';
import { addMemberSchema, createConversationSchema, updateConversationSchema, updateMemberSchema } from './validation/conversations';
import { attachmentSchema, conversationSchema, messageSchema, reactionSchema, userRefSchema } from './validation/dto';
import { editMessageSchema, listMessagesQuery, readSchema, searchQuery, sendMessageSchema } from './validation/messages';
import {
  createTokenSchema,
  deleteMeSchema,
  listUsersQuery,
  meSchema,
  publicUserSchema,
  pushSubscriptionSchema,
  pushUnsubscribeSchema,
  registerSchema,
  tokenSchema,
  updateMeSchema,
} from './validation/users';

/**
 * The OpenAPI 3.1 document, generated from the same zod schemas that validate requests and shape answers.
 */
type Schema = z.ZodType;

function js(schema: Schema, io: 'input' | 'output' = 'output'): Record<string, unknown> {
  const out = z.toJSONSchema(schema, { io, unrepresentable: 'any', target: 'draft-2020-12' }) as Record<string, unknown>;
  delete out.$schema;
  return out;
}

const errorSchema = z.object({
  error: z.object({
    code: z.enum(['bad_request', 'unauthorized', 'forbidden', 'not_found', 'conflict', 'payload_too_large', 'unsupported_media_type', 'rate_limited', 'internal']),
    message: z.string(),
    issues: z.array(z.object({ path: z.array(z.union([z.string(), z.number()])), message: z.string(), code: z.string().optional() })).optional(),
  }),
});

interface Op {
  summary: string;
  body?: Schema;
  multipart?: true;
  query?: Schema;
  ok: number;
  answer?: Schema | 'binary' | 'zip';
  auth?: false;
  errors?: number[];
}

const wrap = <T extends Record<string, Schema>>(shape: T) => z.object(shape);
const searchResult = z.object({
  message: messageSchema,
  conversationId: z.string(),
  rank: z.number(),
  snippet: z.array(z.object({ text: z.string(), hit: z.boolean() })),
});

const paths: Record<string, Record<string, Op>> = {
  '/auth/register': { post: { summary: 'Create an account', body: registerSchema, ok: 201, answer: wrap({ user: meSchema }), auth: false, errors: [400, 403, 409, 429] } },
  '/auth/tokens': {
    post: {
      summary: 'Create a personal access token (shown once)',
      body: createTokenSchema,
      ok: 201,
      answer: z.object({ token: z.string(), id: z.string(), name: z.string(), createdAt: z.string() }),
      auth: false,
      errors: [400, 401, 429],
    },
  },
  '/me': {
    get: { summary: 'The caller', ok: 200, answer: wrap({ user: meSchema }) },
    patch: { summary: 'Update your profile', body: updateMeSchema, ok: 200, answer: wrap({ user: meSchema }) },
    delete: { summary: 'Delete your account (with your password)', body: deleteMeSchema, ok: 204 },
  },
  '/me/avatar': {
    put: { summary: 'Set your avatar (multipart `file`, an image; resized to 256 px WebP)', multipart: true, ok: 200, answer: wrap({ user: meSchema }), errors: [413, 415] },
    delete: { summary: 'Remove your avatar', ok: 200, answer: wrap({ user: meSchema }) },
  },
  '/me/tokens': { get: { summary: 'Your access tokens', ok: 200, answer: wrap({ tokens: z.array(tokenSchema) }) } },
  '/me/tokens/{id}': { delete: { summary: 'Revoke a token', ok: 204 } },
  '/me/blocks': { get: { summary: 'People you blocked', ok: 200, answer: wrap({ blocks: z.array(z.object({ user: userRefSchema, blockedAt: z.string() })) }) } },
  '/me/export': { get: { summary: 'A ZIP of your profile, conversations, messages and files', ok: 200, answer: 'zip' } },
  '/users': { get: { summary: 'People (search by name)', query: listUsersQuery, ok: 200, answer: wrap({ users: z.array(publicUserSchema) }) } },
  '/users/{id}': { get: { summary: 'A person', ok: 200, answer: wrap({ user: publicUserSchema }) } },
  '/users/{id}/avatar': { get: { summary: "A person's avatar (WebP)", ok: 200, answer: 'binary' } },
  '/users/{id}/block': { put: { summary: 'Block a person', ok: 204 }, delete: { summary: 'Unblock a person', ok: 204 } },
  '/conversations': {
    get: { summary: 'Your conversations, most recent first', ok: 200, answer: wrap({ conversations: z.array(conversationSchema) }) },
    post: {
      summary: 'Start a direct conversation (get-or-create: 200 when it exists) or create a group',
      body: createConversationSchema,
      ok: 201,
      answer: wrap({ conversation: conversationSchema }),
    },
  },
  '/conversations/{id}': {
    get: { summary: 'A conversation', ok: 200, answer: wrap({ conversation: conversationSchema }) },
    patch: { summary: 'Rename a group (owners/admins) or mute it for yourself', body: updateConversationSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) },
  },
  '/conversations/{id}/members': { post: { summary: 'Add a member (owners/admins)', body: addMemberSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) } },
  '/conversations/{id}/members/{userId}': {
    delete: { summary: 'Remove a member (owners/admins) or leave (yourself)', ok: 204 },
    patch: { summary: "Change a member's role (owners)", body: updateMemberSchema, ok: 200, answer: wrap({ conversation: conversationSchema }) },
  },
  '/conversations/{id}/messages': {
    get: { summary: 'Messages, oldest first (cursor: before / after a message id)', query: listMessagesQuery, ok: 200, answer: z.object({ messages: z.array(messageSchema), hasMore: z.boolean() }) },
    post: { summary: 'Send a message (the same clientId again answers 200 with the first message)', body: sendMessageSchema, ok: 201, answer: wrap({ message: messageSchema }) },
  },
  '/conversations/{id}/read': { post: { summary: 'Move your read position', body: readSchema, ok: 204 } },
  '/conversations/{id}/pins': { get: { summary: 'Pinned messages', ok: 200, answer: wrap({ messages: z.array(messageSchema) }) } },
  '/messages/{id}': {
    get: { summary: 'A message', ok: 200, answer: wrap({ message: messageSchema }) },
    patch: { summary: 'Edit your message', body: editMessageSchema, ok: 200, answer: wrap({ message: messageSchema }) },
    delete: { summary: 'Delete a message (yours; any as group owner/admin or site admin)', ok: 204 },
  },
  '/messages/{id}/reactions/{emoji}': { put: { summary: 'React', ok: 204 }, delete: { summary: 'Remove your reaction', ok: 204 } },
  '/messages/{id}/pin': {
    put: { summary: 'Pin (owners/admins; either person in a DM)', ok: 200, answer: wrap({ message: messageSchema }) },
    delete: { summary: 'Unpin', ok: 200, answer: wrap({ message: messageSchema }) },
  },
  '/search': { get: { summary: 'Full-text search over your conversations', query: searchQuery, ok: 200, answer: wrap({ results: z.array(searchResult) }) } },
  '/uploads': { post: { summary: 'Upload a file (multipart `file`, checked by content)', multipart: true, ok: 201, answer: wrap({ attachment: attachmentSchema }), errors: [400, 413, 415] } },
  '/uploads/{id}': { get: { summary: 'A file, to members of a conversation that holds it', ok: 200, answer: 'binary' } },
  '/uploads/{id}/thumbnail': { get: { summary: "An image's thumbnail (WebP)", ok: 200, answer: 'binary' } },
  '/push/vapid-public-key': { get: { summary: 'The VAPID public key for web push', ok: 200, answer: z.object({ publicKey: z.string() }), auth: false } },
  '/push/subscriptions': {
    post: { summary: "Subscribe this device's push endpoint", body: pushSubscriptionSchema, ok: 201, answer: z.object({ id: z.string() }) },
    delete: { summary: 'Unsubscribe a push endpoint', body: pushUnsubscribeSchema, ok: 204 },
  },
  '/openapi.json': { get: { summary: 'This document', ok: 200, auth: false } },
};

const statusText: Record<number, string> = {
  400: 'Bad request',
  401: 'Unauthorized',
  403: 'Forbidden',
  404: 'Not found',
  409: 'Conflict',
  413: 'Payload too large',
  415: 'Unsupported media type',
  429: 'Rate limited (see Retry-After)',
};

export function openApiDocument(): Record<string, unknown> {
  const outPaths: Record<string, Record<string, unknown>> = {};
  for (const [path, ops] of Object.entries(paths)) {
    const item: Record<string, unknown> = {};
    const pathParams = [...path.matchAll(/\{(\w+)\}/g)].map((m) => ({ name: m[1], in: 'path', required: true, schema: { type: 'string' } }));
    for (const [method, op] of Object.entries(ops)) {
      const parameters: unknown[] = [...pathParams];
      if (op.query) {
        const q = js(op.query, 'input') as { properties?: Record<string, unknown>; required?: string[] };
        for (const [name, schema] of Object.entries(q.properties ?? {})) parameters.push({ name, in: 'query', required: q.required?.includes(name) ?? false, schema });
      }
      const responses: Record<string, unknown> = {};
      responses[String(op.ok)] =
        op.answer === 'binary'
          ? { description: 'The file', content: { 'application/octet-stream': { schema: { type: 'string', format: 'binary' } } } }
          : op.answer === 'zip'
            ? { description: 'A ZIP archive', content: { 'application/zip': { schema: { type: 'string', format: 'binary' } } } }
            : op.answer
              ? { description: 'OK', content: { 'application/json': { schema: js(op.answer) } } }
              : { description: op.ok === 204 ? 'No content' : 'OK' };
      const errs = new Set([400, ...(op.auth === false ? [] : [401, 404, 429]), ...(op.errors ?? [])]);
      for (const code of [...errs].sort()) responses[String(code)] = { description: statusText[code], content: { 'application/json': { schema: { $ref: '#/components/schemas/Error' } } } };
      item[method] = {
        summary: op.summary,
        ...(parameters.length ? { parameters } : {}),
        ...(op.body ? { requestBody: { required: true, content: { 'application/json': { schema: js(op.body, 'input') } } } } : {}),
        ...(op.multipart
          ? {
              requestBody: {
                required: true,
                content: { 'multipart/form-data': { schema: { type: 'object', properties: { file: { type: 'string', format: 'binary' } }, required: ['file'] } } },
              },
            }
          : {}),
        responses,
        ...(op.auth === false ? { security: [] } : {}),
      };
    }
    outPaths[path] = item;
  }
  return {
    openapi: '3.1.0',
    info: {
      title: 'Chattrix API',
      version: '1',
      description:
        'JSON in and out. Authenticate with `Authorization: Bearer <personal access token>` (or the browser session cookie; cookie requests that change state must come from the app\'s own origin). Errors always look like `{"error":{"code","message","issues?"}}`. Real-time events use Socket.IO at /socket.io (see README).',
    },
    servers: [{ url: '/api/v1' }],
    security: [{ bearer: [] }, { cookie: [] }],
    components: {
      securitySchemes: {
        bearer: { type: 'http', scheme: 'bearer', description: 'A personal access token (ctx_…)' },
        cookie: { type: 'apiKey', in: 'cookie', name: 'next-auth.session-token' },
      },
      schemas: { Error: js(errorSchema), Message: js(messageSchema), Conversation: js(conversationSchema), Reaction: js(reactionSchema) },
    },
    paths: outPaths,
  };
}
