/**
 * Two people in two browser contexts: edit (inline, Up arrow, Esc), delete (tombstone for both), reply (the quote
 * jumps to the original, loading older history), reactions (quick set, picker, toggling chips), typing shown to
 * the other person, "Seen" appearing only once the other person opens the conversation, and a search result
 * opening the conversation at its message. Conversations and filler history are set up over the REST API.
 */
import { randomBytes } from 'node:crypto';
import type { APIRequestContext, Browser, BrowserContext, WebSocketRoute } from '@playwright/test';
import { ChatPage } from './pages/ChatPage';
import { ConversationView } from './pages/ConversationView';
import { LoginPage } from './pages/LoginPage';
import { expect, newPerson, registerViaApi, test, type Person } from './fixtures';

interface Account extends Person {
  id: string;
  token: string;
  state: Awaited<ReturnType<BrowserContext['storageState']>>;
}

let ana: Account;
let ben: Account;

/** A plain (non-admin) account: the first account of a fresh database is a site admin, and may be one of ours. */
async function account(browser: Browser, request: APIRequestContext, prefix: string, displayName: string): Promise<Account> {
  let person: Person;
  let token: string;
  let user: { id: string; isAdmin: boolean };
  do {
    person = { ...newPerson(prefix), displayName };
    await registerViaApi(request, person);
    const tok = await request.post('/api/v1/auth/tokens', { data: { username: person.username, password: person.password, name: 'e2e' } });
    expect(tok.status()).toBe(201);
    token = ((await tok.json()) as { token: string }).token;
    const me = await request.get('/api/v1/me', { headers: { authorization: `Bearer ${token}` } });
    user = ((await me.json()) as { user: { id: string; isAdmin: boolean } }).user;
  } while (user.isAdmin);
  const id = user.id;
  // Sign in once through the form; each test starts from this session.
  const ctx = await browser.newContext();
  const page = await ctx.newPage();
  await new LoginPage(page).goto();
  await new LoginPage(page).signIn(person.username, person.password);
  await new ChatPage(page).expectSignedInAs(person);
  const state = await ctx.storageState();
  await ctx.close();
  return { ...person, id, token, state };
}

test.beforeAll(async ({ browser, request }) => {
  [ana, ben] = await Promise.all([account(browser, request, 'ana', 'Ana Alvarez'), account(browser, request, 'ben', 'Ben Brown')]);
});

async function api<T = any>(request: APIRequestContext, who: Account, method: string, path: string, data?: unknown): Promise<T> {
  const res = await request.fetch(`/api/v1${path}`, { method, headers: { authorization: `Bearer ${who.token}` }, data });
  expect(res.ok(), `${method} ${path}: ${res.status()} ${await res.text()}`).toBe(true);
  return (res.status() === 204 ? undefined : await res.json()) as T;
}

async function group(request: APIRequestContext, title: string): Promise<string> {
  return (await api<{ conversation: { id: string } }>(request, ana, 'POST', '/conversations', { kind: 'group', title, memberIds: [ben.id] })).conversation.id;
}

async function post(request: APIRequestContext, who: Account, conversationId: string, body: string): Promise<string> {
  return (await api<{ message: { id: string } }>(request, who, 'POST', `/conversations/${conversationId}/messages`, { body })).message.id;
}

/** More messages than the first page holds (100), so what came before them is not loaded when the view opens. */
async function filler(request: APIRequestContext, conversationId: string, n = 110): Promise<void> {
  for (let i = 0; i < n; i += 10) {
    await Promise.all(Array.from({ length: Math.min(10, n - i) }, (_, j) => post(request, ana, conversationId, `filler ${i + j}`)));
  }
}

async function open(browser: Browser, who: Account, opts: { serviceWorkers?: 'allow' | 'block' } = {}) {
  const context = await browser.newContext({ storageState: who.state, viewport: { width: 1100, height: 760 }, ...opts });
  const page = await context.newPage();
  return { context, page, view: new ConversationView(page), chat: new ChatPage(page) };
}

test('edit (Up arrow, Enter, Esc) and delete, seen live by the other person', async ({ browser, request }) => {
  const g = await group(request, 'Edit and delete');
  const a = await open(browser, ana);
  const b = await open(browser, ben);
  await a.view.goto(g);
  await b.view.goto(g);

  await a.view.send('Hello wrold');
  const mine = a.view.message('Hello wrold');
  await expect(mine).toBeVisible();
  const id = (await mine.getAttribute('data-message-id'))!;
  await expect(b.view.byId(id)).toContainText('Hello wrold');
  // Ben has it open, so Ana sees it read.
  await expect(a.view.seen(a.view.byId(id))).toHaveText('Seen by 1');

  // Up arrow in the empty composer edits my last message; Enter saves.
  await a.view.composer.press('ArrowUp');
  const editor = a.view.editor(a.view.byId(id));
  await expect(editor).toBeFocused();
  await expect(editor).toHaveValue('Hello wrold');
  await editor.fill('Hello world');
  await editor.press('Enter');
  await expect(editor).toBeHidden();
  await expect(a.view.byId(id)).toContainText('Hello world');
  await expect(a.view.byId(id)).toContainText('edited');
  await expect(b.view.byId(id)).toContainText('Hello world');
  await expect(b.view.byId(id)).toContainText('edited');

  // Esc cancels an edit started from the toolbar.
  await a.view.action(a.view.byId(id), 'Edit');
  await a.view.editor(a.view.byId(id)).fill('never saved');
  await a.view.editor(a.view.byId(id)).press('Escape');
  await expect(a.view.editor(a.view.byId(id))).toBeHidden();
  await expect(a.view.byId(id)).toContainText('Hello world');
  await expect(b.view.byId(id)).not.toContainText('never saved');

  // Ben's toolbar on Ana's message has no Edit and (as a plain member) no Delete.
  await b.view.byId(id).hover();
  const benTools = b.view.byId(id).getByRole('toolbar', { name: 'Message actions' });
  await expect(benTools.getByRole('button', { name: 'Reply', exact: true })).toBeVisible();
  await expect(benTools.getByRole('button', { name: 'Edit' })).toHaveCount(0);
  await expect(benTools.getByRole('button', { name: 'Delete' })).toHaveCount(0);

  // Delete (after the confirmation): a tombstone for both.
  await a.view.delete(a.view.byId(id));
  for (const v of [a.view, b.view]) {
    await expect(v.byId(id)).toContainText('Message deleted');
    await expect(v.byId(id)).not.toContainText('Hello world');
  }
  await a.context.close();
  await b.context.close();
});

test('an edit and a deletion that land while a page of history is on its way are not undone by that page', async ({ browser, request }) => {
  const g = await group(request, 'Page in flight');
  const edited = await post(request, ana, g, 'Version one');
  const deleted = await post(request, ana, g, 'Soon gone');
  // No service worker: the page's own requests are the ones held below (a worker's fetch would pass by the route).
  const b = await open(browser, ben, { serviceWorkers: 'block' });
  const frames: string[] = [];
  b.page.on('websocket', (ws) => ws.on('framereceived', ({ payload }) => frames.push(String(payload))));
  await b.chat.goto();
  await b.chat.expectSignedInAs(ben);
  // The first page of the conversation is read from the server at once but handed to the page only when released:
  // a snapshot from before the changes below, arriving after them.
  let fetched!: () => void;
  const wasFetched = new Promise<void>((resolve) => (fetched = resolve));
  let release!: () => void;
  const released = new Promise<void>((resolve) => (release = resolve));
  await b.page.route(`**/api/v1/conversations/${g}/messages?limit=*`, async (route) => {
    const response = await route.fetch();
    fetched();
    await released;
    await route.fulfill({ response });
  });
  await b.chat.conversationRow(g).click();
  await wasFetched;
  // Ana edits one message and deletes the other; Ben's socket hears both while his page is held.
  await api(request, ana, 'PATCH', `/messages/${edited}`, { body: 'Version two' });
  await api(request, ana, 'DELETE', `/messages/${deleted}`);
  const heard = (event: string, id: string) => frames.some((f) => f.includes(`"${event}"`) && f.includes(id));
  await expect.poll(() => heard('message:updated', edited) && heard('message:deleted', deleted)).toBe(true);
  release();
  await expect(b.view.byId(edited)).toContainText('Version two');
  await expect(b.view.byId(edited)).toContainText('edited');
  await expect(b.view.byId(deleted)).toContainText('Message deleted');
  await expect(b.view.byId(deleted)).not.toContainText('Soon gone');
  await b.context.close();
});

test('what changed while the reader was offline (an edit, a deletion, a reaction) shows once they are back', async ({ browser, request }) => {
  const g = await group(request, 'Changed while away');
  const kept = await post(request, ana, g, 'Keep me');
  const fixed = await post(request, ana, g, 'Fix me');
  const dropped = await post(request, ana, g, 'Drop me');
  const b = await open(browser, ben);
  await b.view.goto(g);
  // Once the service worker controls the page, a reload reads the conversation through it: its cache holds the page.
  await b.page.waitForFunction(() => navigator.serviceWorker?.controller != null);
  await b.page.reload();
  await expect(b.view.byId(dropped)).toContainText('Drop me');
  await b.context.setOffline(true);
  await expect(b.page.getByRole('status').filter({ hasText: 'You are offline' })).toBeVisible();
  await api(request, ana, 'PATCH', `/messages/${fixed}`, { body: 'Fixed' });
  await api(request, ana, 'DELETE', `/messages/${dropped}`);
  await api(request, ana, 'PUT', `/messages/${kept}/reactions/${encodeURIComponent('👍')}`);
  // Nothing reaches Ben while he is away.
  await expect(b.view.byId(fixed)).toContainText('Fix me');
  await b.context.setOffline(false);
  await expect(b.view.byId(fixed)).toContainText('Fixed');
  await expect(b.view.byId(fixed)).toContainText('edited');
  await expect(b.view.byId(dropped)).toContainText('Message deleted');
  await expect(b.view.reaction(b.view.byId(kept), '👍')).toHaveAccessibleName(/^👍 1, by Ana Alvarez/);
  await b.context.close();
});

test('an edit made after the page read the conversation but before its socket connected shows once it connects', async ({ browser, request }) => {
  const g = await group(request, 'Changed while connecting');
  // Ben's own message, edited by him elsewhere: nothing here is left unread for the tests after this one.
  const fixed = await post(request, ben, g, 'Fix me');
  // No service worker here: the routes below see the page's own requests.
  const b = await open(browser, ben, { serviceWorkers: 'block' });
  // The socket cannot connect until released (a slow network, a proxy that holds the upgrade): its WebSocket opens
  // but nothing comes through until it is connected to the server.
  const held: WebSocketRoute[] = [];
  await b.page.routeWebSocket(/\/socket\.io\//, (ws) => {
    held.push(ws);
  });
  await b.view.goto(g);
  await expect(b.view.byId(fixed)).toContainText('Fix me');
  await expect(b.page.getByTestId('connection-state')).toHaveText('Connecting');
  await api(request, ben, 'PATCH', `/messages/${fixed}`, { body: 'Fixed' });
  // The page's read came before the edit, and its socket was not in the room when the edit went out.
  await b.page.waitForTimeout(500);
  await expect(b.view.byId(fixed)).toContainText('Fix me');
  expect(held).toHaveLength(1);
  held[0]!.connectToServer();
  // The first connect reads the newest page again.
  await expect(b.page.getByTestId('connection-state')).toHaveText('Connected');
  await expect(b.view.byId(fixed)).toContainText('Fixed');
  await expect(b.view.byId(fixed)).toContainText('edited');
  await b.context.close();
});

test('reply: the quote shows the original, and clicking it loads older history and highlights the original', async ({ browser, request }) => {
  const g = await group(request, 'Replies');
  const originalText = 'Where do we meet on Friday?';
  const original = await post(request, ana, g, originalText);
  await filler(request, g);

  // Ben opens the conversation at the original (it is older than the first page), and replies to it.
  const b = await open(browser, ben);
  await b.view.goto(g, original);
  await expect(b.view.byId(original)).toBeVisible();
  await b.view.action(b.view.byId(original), 'Reply');
  await expect(b.page.getByRole('button', { name: 'Cancel reply' })).toBeVisible();
  await expect(b.view.composer).toBeFocused();
  await b.view.composer.fill('At the station, 6 pm');
  await b.view.composer.press('Enter');
  const reply = b.view.message('At the station, 6 pm');
  await expect(b.view.replyQuote(reply)).toContainText(originalText);

  // Ana opens the conversation fresh: the reply is there, the original is not loaded yet.
  const a = await open(browser, ana);
  await a.view.goto(g);
  const replyA = a.view.message('At the station, 6 pm');
  await expect(replyA).toBeVisible();
  // The quote names the original's author.
  await expect(a.view.replyQuote(replyA)).toContainText('Ana Alvarez');
  await expect(a.view.replyQuote(replyA)).toContainText(originalText);
  await expect(a.view.byId(original)).toHaveCount(0);

  await a.view.replyQuote(replyA).click();
  await expect(a.view.byId(original)).toHaveClass(/\bhighlighted\b/);
  await expect(a.view.byId(original)).toBeInViewport();
  await expect(a.view.byId(original)).toContainText(originalText);
  await a.context.close();
  await b.context.close();
});

test('reactions: quick set and picker, chips toggle, counts and pressed state live on both sides', async ({ browser, request }) => {
  const g = await group(request, 'Reactions');
  const id = await post(request, ana, g, 'Pizza tonight?');
  const a = await open(browser, ana);
  const b = await open(browser, ben);
  await a.view.goto(g);
  await b.view.goto(g);

  await b.view.react(b.view.byId(id), '👍');
  const chipB = b.view.reaction(b.view.byId(id), '👍');
  const chipA = a.view.reaction(a.view.byId(id), '👍');
  await expect(chipB).toHaveAccessibleName(/^👍 1\b/);
  await expect(chipB).toHaveAttribute('aria-pressed', 'true');
  await expect(chipA).toHaveAccessibleName(/^👍 1, by Ben Brown/);
  await expect(chipA).toHaveAttribute('aria-pressed', 'false');

  // Ana joins in by clicking the chip; then Ben takes his back.
  await chipA.click();
  await expect(chipA).toHaveAccessibleName(/^👍 2\b/);
  await expect(chipA).toHaveAttribute('aria-pressed', 'true');
  await expect(chipB).toHaveAccessibleName(/^👍 2\b/);
  await chipB.click();
  await expect(chipB).toHaveAccessibleName(/^👍 1, by Ana Alvarez/);
  await expect(chipB).toHaveAttribute('aria-pressed', 'false');
  await expect(chipA).toHaveAccessibleName(/^👍 1\b/);

  // The searchable picker.
  await a.view.action(a.view.byId(id), 'React');
  await a.view.byId(id).getByRole('button', { name: 'More reactions' }).click();
  const picker = a.page.getByRole('dialog', { name: 'Pick a reaction' });
  await picker.getByRole('searchbox', { name: 'Search emoji' }).fill('pizza');
  await expect(picker.getByRole('button')).toHaveCount(1);
  await picker.getByRole('button', { name: 'React pizza' }).click();
  await expect(a.view.reaction(a.view.byId(id), '🍕')).toHaveAttribute('aria-pressed', 'true');
  await expect(b.view.reaction(b.view.byId(id), '🍕')).toHaveAccessibleName(/^🍕 1, by Ana Alvarez/);
  await a.context.close();
  await b.context.close();
});

test('typing is shown to the other person, and "Seen" appears only once they open the conversation', async ({ browser, request }) => {
  const dm = (await api<{ conversation: { id: string } }>(request, ana, 'POST', '/conversations', { kind: 'direct', userId: ben.id })).conversation.id;
  const a = await open(browser, ana);
  const b = await open(browser, ben);
  await a.view.goto(dm);
  await b.chat.goto();

  await a.view.send('Are you there?');
  const mine = a.view.message('Are you there?');
  await expect(mine).toBeVisible();
  // Ben's app has it (unread in his list, and in the tab title) but he has not opened the conversation.
  await expect(b.page.getByTestId(`conversation-${dm}`)).toHaveAccessibleName(/1 unread/);
  await expect(b.page).toHaveTitle(/^\(1\) /);
  await expect(a.view.seen(mine)).toHaveCount(0);
  // The count stays through pages with titles of their own (the sidebar stays; Next writes each page's title).
  await b.page.getByRole('link', { name: 'Search messages' }).click();
  await expect(b.page).toHaveURL(/\/search/);
  await expect(b.page).toHaveTitle('(1) Search · Chattrix');
  await b.page.goBack();
  await expect(b.page).toHaveTitle('(1) Chattrix');

  await b.page.getByTestId(`conversation-${dm}`).click();
  await expect(b.view.message('Are you there?')).toBeVisible();
  await expect(a.view.seen(mine)).toHaveText('Seen');
  await expect(b.page).not.toHaveTitle(/^\(\d+\) /);

  // Ben types: Ana sees it; Ben sends: it goes away and the message arrives.
  await b.view.composer.pressSequentially('Yes, one sec', { delay: 20 });
  await expect(a.view.typing).toHaveText('Ben Brown is typing…');
  await b.view.composer.press('Enter');
  await expect(a.view.message('Yes, one sec')).toBeVisible();
  await expect(a.view.typing).toHaveText('');
  // Ana's "Seen" stays under her newest message that Ben read.
  await expect(a.view.seen(mine)).toHaveText('Seen');
  await a.context.close();
  await b.context.close();
});

test('a message that arrives while the conversation list is still loading shows in the sidebar, unread', async ({ browser, request }) => {
  const dm = (await api<{ conversation: { id: string } }>(request, ana, 'POST', '/conversations', { kind: 'direct', userId: ben.id })).conversation.id;
  const b = await open(browser, ben);
  // Every list request Ben's app makes is answered by the server at once (so before the message exists), but the
  // answer reaches the page only after the live message:created did: a slow network at the wrong moment.
  // (The whole list: the sidebar's first page, `?limit=50`, is not held.)
  let release!: () => void;
  const held = new Promise<void>((r) => (release = r));
  let catchUpFetched!: () => void;
  const catchUpAnswered = new Promise<void>((r) => (catchUpFetched = r));
  await b.page.route(/\/api\/v1\/conversations$/, async (route) => {
    const response = await route.fetch();
    // The catch-up after the socket connected asks for the network's answer (the header): once the server has
    // answered it, every list the page asked for predates the message.
    if (route.request().headers()['x-chattrix-fresh']) catchUpFetched();
    await held;
    await route.fulfill({ response });
  });
  const body = `while loading ${randomBytes(3).toString('hex')}`;
  const liveArrived = new Promise<void>((resolve) =>
    b.page.on('websocket', (ws) => ws.on('framereceived', (f) => String(f.payload).includes(body) && resolve())),
  );
  await b.chat.goto();
  await catchUpAnswered;
  await post(request, ana, dm, body);
  await liveArrived;
  release();
  const row = b.page.getByTestId(`conversation-${dm}`);
  await expect(row).toContainText(body);
  await expect(row).toHaveAccessibleName(/1 unread/);
  await b.context.close();
});

test('a search result opens the conversation at that message, highlighted, even deep in the history', async ({ browser, request }) => {
  const g = await group(request, 'Search');
  const w = `quokka${randomBytes(4).toString('hex')}`;
  const target = await post(request, ben, g, `Did anyone see the ${w} at the zoo?`);
  await filler(request, g);

  const a = await open(browser, ana);
  await a.chat.goto();
  // Live first (hydrated, socket up): a click on the link while the page hydrates can be lost (seen once in CI).
  await a.chat.expectLive();
  await a.page.getByRole('link', { name: 'Search messages' }).click();
  await expect(a.page).toHaveURL(/\/search/);
  await a.page.getByRole('searchbox', { name: 'Search messages' }).fill(w);
  const results = a.page.getByTestId('search-result');
  await expect(results).toHaveCount(1);
  await expect(results.first().locator('mark')).toHaveText(w);
  await expect(results.first()).toContainText('Ben Brown');
  await results.first().click();
  await expect(a.page).toHaveURL(new RegExp(`/c/${g}\\?m=${target}$`));
  await expect(a.view.byId(target)).toHaveClass(/\bhighlighted\b/);
  await expect(a.view.byId(target)).toBeInViewport();
  await expect(a.view.byId(target)).toContainText(w);
  await a.context.close();
});

test('a search hit far back in a long thread opens the thread there, holding every reply after it, and live replies follow with no gap', async ({ browser, request }) => {
  const g = await group(request, 'Long thread');
  const root = await post(request, ana, g, 'Where shall we go for the retreat?');
  const w = `wombat${randomBytes(4).toString('hex')}`;
  // 130 replies (more than a page of 50 on each side of the hit, and more than one page of 100 after it).
  const replies: string[] = [];
  for (let i = 0; i < 130; i += 10) {
    const batch = await Promise.all(
      Array.from({ length: 10 }, (_, j) =>
        api<{ message: { id: string; seq: number } }>(request, i + j === 2 ? ben : ana, 'POST', `/conversations/${g}/messages`, {
          body: i + j === 2 ? `The ${w} lodge, reply 2` : `thread reply ${i + j}`,
          threadId: root,
        }),
      ),
    );
    replies.push(...batch.sort((x, y) => x.message.seq - y.message.seq).map((r) => r.message.id));
  }

  const a = await open(browser, ana);
  await a.page.goto(`/search?q=${w}`);
  await a.page.getByTestId('search-result').filter({ hasText: w }).click();
  const panel = a.page.getByTestId('thread-panel');
  const hit = panel.getByTestId('message').filter({ hasText: w });
  await expect(hit).toBeVisible({ timeout: 30_000 });
  await expect(hit).toHaveClass(/highlighted/);
  // Only two replies come before it: the panel holds the thread's start, and says so of the thread.
  await expect(panel.getByText('This is the beginning of the thread.')).toBeVisible();
  // Every reply from the hit to the newest is held (the page around the hit ends at reply 27).
  await expect(panel.getByTestId('message').filter({ hasText: 'thread reply 129' })).toBeAttached();
  // A live reply joins the end, and nothing is missing before it.
  await api(request, ben, 'POST', `/conversations/${g}/messages`, { body: 'live reply after the hit', threadId: root });
  await expect(panel.getByTestId('message').filter({ hasText: 'live reply after the hit' })).toBeAttached();
  const held = await panel.getByTestId('message').evaluateAll((els) => els.map((e) => e.getAttribute('data-message-id')));
  const from = held.indexOf(replies[2]!);
  expect(from).toBeGreaterThan(0);
  expect(held.slice(from, from + 128)).toEqual(replies.slice(2));
  await a.context.close();
});

test("a message's tools in the narrow thread panel stay inside it, for one's own long reply and another's", async ({ browser, request }) => {
  const g = await group(request, 'Tools in threads');
  const root = await post(request, ana, g, 'Root of a thread with long replies');
  const long = 'A long reply that fills the width of the thread panel, so that nothing is left beside its bubble for the tools. '.repeat(2);
  await api(request, ana, 'POST', `/conversations/${g}/messages`, { body: `Mine: ${long}`, threadId: root });
  await api(request, ben, 'POST', `/conversations/${g}/messages`, { body: `Ben's: ${long}`, threadId: root });
  const a = await open(browser, ana);
  await a.page.goto(`/c/${g}?thread=${root}`);
  const panel = a.page.getByTestId('thread-panel');
  const inside = await panel.boundingBox();
  for (const who of ['Mine:', "Ben's:"]) {
    const reply = panel.getByTestId('message').filter({ hasText: who });
    await reply.hover();
    const tools = reply.getByRole('toolbar');
    await expect(tools).toBeVisible();
    const box = (await tools.boundingBox())!;
    expect(box.x, `${who} tools start inside the panel`).toBeGreaterThanOrEqual(inside!.x);
    expect(box.x + box.width, `${who} tools end inside the panel`).toBeLessThanOrEqual(inside!.x + inside!.width);
    if (process.env.SHOTS) await a.page.screenshot({ path: `${process.env.SHOTS}/thread-tools-${who.startsWith('M') ? 'mine' : 'other'}.png` });
  }
  await a.context.close();
});
