import { request as apiRequest, type APIRequestContext, type BrowserContext, type CDPSession, type Page } from '@playwright/test';
import { freshDatabase, type FreshDatabase } from '../tests/helpers/ops';
import { startServer, type RunningServer } from '../tests/helpers/server';
import { ChatPage } from './pages/ChatPage';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

/**
 * An open tab nobody touches costs nothing: besides Engine.IO pings, an idle tab sends and receives at most a
 * handful of frames and requests, whatever page it shows. Two people are signed in, each with the chat shell, a
 * conversation, search and settings open; every tab's WebSocket frames and HTTP requests are counted through the
 * Chrome DevTools Protocol over 30 idle seconds. (The presence:subscribe loop this guards against sent ~350
 * frames a second per tab: it would fail here by three orders of magnitude.)
 *
 * It has a server (and database) of its own, so the other specs, running beside it, are not in its window: nobody
 * else comes, goes or changes a profile there.
 */

const IDLE_MS = 30_000;
/** "At most a handful" of non-ping frames and requests per tab in the idle window. */
const HANDFUL = 5;

interface Counter {
  label: string;
  /** Socket.IO frames other than Engine.IO ping ("2") and pong ("3"), with their payloads (for the failure text). */
  frames: string[];
  pings: number;
  requests: string[];
  /** Engine.IO "open" seen: the socket is up. */
  connected: boolean;
}

async function countTraffic(context: BrowserContext, page: Page, label: string): Promise<Counter> {
  const counter: Counter = { label, frames: [], pings: 0, requests: [], connected: false };
  const cdp: CDPSession = await context.newCDPSession(page);
  const onFrame = (dir: string) => (e: { response: { payloadData: string } }) => {
    const data = e.response.payloadData;
    if (data.startsWith('0')) counter.connected = true;
    if (data === '2' || data === '3') counter.pings += 1;
    else counter.frames.push(`${dir} ${data.slice(0, 120)}`);
  };
  cdp.on('Network.webSocketFrameSent', onFrame('sent'));
  cdp.on('Network.webSocketFrameReceived', onFrame('received'));
  cdp.on('Network.requestWillBeSent', (e: { request: { method: string; url: string } }) => {
    // The WebSocket handshake itself is not a request the app makes while idle.
    counter.requests.push(`${e.request.method} ${e.request.url}`);
  });
  await cdp.send('Network.enable');
  return counter;
}

let server: RunningServer;
let db: FreshDatabase;
let request: APIRequestContext;

test.beforeAll(async () => {
  test.setTimeout(120_000);
  db = await freshDatabase('e2eidle');
  server = await startServer({ env: { DATABASE_URL: db.url } });
  request = await apiRequest.newContext({ baseURL: server.url });
});
test.afterAll(async () => {
  await request?.dispose();
  await server?.stop();
  await db?.drop();
});

async function signedInContext(browser: import('@playwright/test').Browser, person: Person): Promise<BrowserContext> {
  const context = await browser.newContext({ baseURL: server.url });
  const page = await context.newPage();
  const login = new LoginPage(page);
  await login.goto();
  await login.signIn(person.username, person.password);
  await new ChatPage(page).expectSignedInAs(person);
  await page.close();
  return context;
}

test('two signed-in people with idle tabs on every page send nothing but pings for 30 s', async ({ browser }) => {
  // Eight tabs, up to 45 s of warm-up and the 30 s window: on a slow machine (CI's took over 120 s once) it needs room.
  test.setTimeout(240_000);
  const a = newPerson('idlea');
  const b = newPerson('idleb');
  await registerViaApi(request, a);
  await registerViaApi(request, b);

  // A direct conversation with one message in it, made through the API (a token needs no Origin).
  const tokenRes = await request.post('/api/v1/auth/tokens', { data: { username: a.username, password: a.password, name: 'idle test' } });
  expect(tokenRes.status()).toBe(201);
  const auth = { authorization: `Bearer ${((await tokenRes.json()) as { token: string }).token}` };
  const userRes = await request.get(`/api/v1/users?q=${b.username}`, { headers: auth });
  const bId = ((await userRes.json()) as { users: { id: string; username: string }[] }).users.find((u) => u.username === b.username)!.id;
  const convRes = await request.post('/api/v1/conversations', { headers: auth, data: { kind: 'direct', userId: bId } });
  const conversationId = ((await convRes.json()) as { conversation: { id: string } }).conversation.id;
  const sent = await request.post(`/api/v1/conversations/${conversationId}/messages`, { headers: auth, data: { body: 'hello idle world' } });
  expect(sent.status()).toBe(201);

  const pages = ['/', `/c/${conversationId}`, '/search?q=hello', '/settings'];
  const counters: Counter[] = [];
  const contexts: BrowserContext[] = [];
  for (const person of [a, b]) {
    const context = await signedInContext(browser, person);
    contexts.push(context);
    for (const path of pages) {
      const page = await context.newPage();
      counters.push(await countTraffic(context, page, `${person.username} ${path}`));
      await page.goto(path);
    }
  }

  // Let every tab finish loading: each has its socket up and the network quiet.
  for (const c of counters) await expect.poll(() => c.connected, { message: `${c.label}: socket connected`, timeout: 30_000 }).toBe(true);
  for (const context of contexts) for (const page of context.pages()) await page.waitForLoadState('load');
  // Warm-up: what a page fetches right after it connects (catch-up, presence, the offline cache) is not idle. It is
  // over when no tab has sent, received or requested anything for 3 s (at least 5 s, at most 45 s: on a slow
  // machine the offline cache's fetches can still be running 5 s after the sockets connect).
  const activity = () => counters.reduce((n, c) => n + c.frames.length + c.requests.length, 0);
  const warmStart = Date.now();
  let last = activity();
  let quietSince = Date.now();
  while (Date.now() - warmStart < 45_000 && (Date.now() - warmStart < 5_000 || Date.now() - quietSince < 3_000)) {
    await new Promise((resolve) => setTimeout(resolve, 250));
    const now = activity();
    if (now !== last) {
      last = now;
      quietSince = Date.now();
    }
  }

  // The idle window.
  for (const c of counters) {
    c.frames = [];
    c.requests = [];
    c.pings = 0;
  }
  await new Promise((resolve) => setTimeout(resolve, IDLE_MS));

  const report = counters.map((c) => `${c.label}: ${c.frames.length} frames, ${c.requests.length} requests (${c.requests.join(", ")}), ${c.pings} pings`).join('\n');
  console.log(`idle traffic over ${IDLE_MS / 1000} s:\n${report}`);
  for (const c of counters) {
    expect(c.frames.length, `${c.label} sent or received frames while idle:\n${c.frames.join('\n')}`).toBeLessThanOrEqual(HANDFUL);
    expect(c.requests.length, `${c.label} made requests while idle:\n${c.requests.join('\n')}`).toBeLessThanOrEqual(HANDFUL);
  }

  for (const context of contexts) await context.close();
});
