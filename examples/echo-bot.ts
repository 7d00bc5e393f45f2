/**
 * Echo bot: answers "echo: …" whenever it is @mentioned. Needs only a token (a bot's, or a personal access token):
 *
 *   CHATTRIX_URL=http://localhost:3000 CHATTRIX_TOKEN=ctx_… npx tsx examples/echo-bot.ts
 *
 * Events arrive over Socket.IO; REST calls go through openapi-fetch typed by examples/chattrix-api.d.ts, which
 * `node --import tsx scripts/api-types.ts` generates from the served OpenAPI document: if the document and this
 * code drift apart, `tsc --noEmit` fails here.
 */
import createClient from 'openapi-fetch';
import { io } from 'socket.io-client';
import type { components, paths } from './chattrix-api';

type Message = components['schemas']['Message'];

export interface EchoBot {
  userId: string;
  username: string;
  close: () => void;
}

export async function startEchoBot(url: string, token: string, log: (line: string) => void = console.log): Promise<EchoBot> {
  const api = createClient<paths>({ baseUrl: new URL('/api/v1', url).href, headers: { authorization: `Bearer ${token}` } });
  const me = await api.GET('/me');
  if (!me.data) throw new Error(`GET /me answered ${me.response.status}: ${JSON.stringify(me.error)}`);
  const { id: userId, username } = me.data.user;
  const mention = new RegExp(`@${username}\\b`, 'gi');

  const socket = io(url, { auth: { token }, transports: ['websocket'] });
  socket.on('connect_error', (e) => log(`connect_error: ${e.message}`));

  socket.on('message:created', async ({ message }: { message: Message }) => {
    if (message.sender?.id === userId || !message.mentions.includes(userId)) return;
    const text = message.body.replace(mention, '').trim() || '(nothing)';
    const { error, response } = await api.POST('/conversations/{id}/messages', {
      params: { path: { id: message.conversationId } },
      body: {
        body: `echo: ${text}`,
        clientId: `echo-${message.id}`, // a redelivered event posts the same reply once
        ...(message.threadId ? { threadId: message.threadId } : {}),
      },
    });
    if (error) log(`reply failed (${response.status}): ${error.error.message}`);
    else log(`replied to ${message.id}`);
  });

  await new Promise<void>((resolve, reject) => {
    socket.once('connect', () => resolve());
    socket.once('connect_error', reject);
  });
  log(`echo bot @${username} is listening`);
  return { userId, username, close: () => socket.close() };
}

if (process.argv[1]?.endsWith('echo-bot.ts')) {
  const url = process.env.CHATTRIX_URL ?? 'http://localhost:3000';
  const token = process.env.CHATTRIX_TOKEN;
  if (!token) {
    console.error('Set CHATTRIX_TOKEN to a bot token or personal access token');
    process.exit(2);
  }
  const bot = await startEchoBot(url, token);
  const stop = () => {
    bot.close();
    process.exit(0);
  };
  process.on('SIGINT', stop);
  process.on('SIGTERM', stop);
}
