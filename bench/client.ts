/**
 * `npm run bench:client`: the speed people feel in the chat page, in Debian's Chromium (issue 11, "Speed people feel").
 *
 * Starts the built server (embedded PGlite in a temporary DATA_DIR, or DATABASE_URL), makes one person in
 * CLIENT_CONVERSATIONS (20) groups of CLIENT_MESSAGES (60) messages each, signs in at 1280×800, and measures:
 *   - js: the JavaScript the chat page loads on a cold start (no service worker yet), compressed as sent
 *     (Chromium's encoded data length of every Script response: compressedKb, with each response's HTTP headers;
 *     compressedBodyKb, the scripts alone, without them) and uncompressed;
 *   - warm open, online and offline: with the service worker in control and its caches warm, a reload of
 *     `/c/{id}` (the last conversation) until that conversation's newest message is on screen, measured in the page
 *     from the navigation's start (CLIENT_RUNS, 10, each);
 *   - switch: a click on another conversation the page has already loaded until its newest message is on screen
 *     (the first frame after it is in the DOM), CLIENT_RUNS × 2 switches (CLIENT_PROFILE=file: their CPU profile).
 * Prints one JSON line (p50/p99/max of each) on stdout.
 */
import { writeFileSync } from 'node:fs';
import { chromium, type Page } from '@playwright/test';
import { startServer } from '../tests/helpers/server';
import { restPoster, signInThroughForm } from './browser';
import { percentiles, round } from './lib';

const CONVERSATIONS = Number(process.env.CLIENT_CONVERSATIONS ?? 20);
const MESSAGES = Number(process.env.CLIENT_MESSAGES ?? 60);
const RUNS = Number(process.env.CLIENT_RUNS ?? 10);
const log = (...a: unknown[]) => console.error('[client]', ...a);

/** In the page: the time from the navigation's start until a message with this id is in the DOM, then one frame. */
const SHOWN_AFTER_NAVIGATION = `(id) => new Promise((resolve) => {
  const done = () => requestAnimationFrame(() => resolve(performance.now()));
  if (document.querySelector('[data-message-id="' + id + '"]')) return done();
  const mo = new MutationObserver(() => {
    if (document.querySelector('[data-message-id="' + id + '"]')) { mo.disconnect(); done(); }
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
})`;

/** In the page: clicks a conversation row and answers the time until a message with this id is on screen. */
const SWITCH = `([row, id]) => new Promise((resolve) => {
  const t0 = performance.now();
  const mo = new MutationObserver(() => {
    if (document.querySelector('[data-message-id="' + id + '"]')) { mo.disconnect(); requestAnimationFrame(() => resolve(performance.now() - t0)); }
  });
  mo.observe(document.documentElement, { childList: true, subtree: true });
  document.querySelector('[data-testid="conversation-' + row + '"]').click();
})`;

/** Where a warm open's time went, from the navigation's start (ms): the document's first byte, DOMContentLoaded. */
const phases = { responseStart: [] as number[], domContentLoaded: [] as number[] };

async function warmOpen(page: Page, url: string, newest: string, into?: typeof phases): Promise<number> {
  // A new document: its clock starts at the navigation, so the time it answers is the whole open (measured from the
  // parsed document on; a message already there counts at once).
  await page.goto(url, { waitUntil: 'domcontentloaded' });
  const shown = (await page.evaluate(`(${SHOWN_AFTER_NAVIGATION})(${JSON.stringify(newest)})`)) as number;
  if (into) {
    const nav = (await page.evaluate(() => {
      const n = performance.getEntriesByType('navigation')[0] as PerformanceNavigationTiming;
      return { responseStart: n.responseStart, domContentLoaded: n.domContentLoadedEventEnd };
    })) as { responseStart: number; domContentLoaded: number };
    into.responseStart.push(nav.responseStart);
    into.domContentLoaded.push(nav.domContentLoaded);
  }
  return shown;
}

async function main() {
  const server = await startServer({ env: { DATABASE_URL: process.env.DATABASE_URL } });
  const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu'] });
  try {
    const base = server.url;
    const call = restPoster(base);
    const me = { username: `client_${Date.now().toString(36)}`, password: 'client-bench-1' };
    await call('/auth/register', me);
    const { token } = await call('/auth/tokens', { ...me, name: 'bench' });
    const conversations: { id: string; newest: string }[] = [];
    for (let i = 0; i < CONVERSATIONS; i++) {
      const { conversation } = await call('/conversations', { kind: 'group', title: `Room ${i}`, memberIds: [] }, token);
      let newest = '';
      for (let j = 0; j < MESSAGES; j++) newest = (await call(`/conversations/${conversation.id}/messages`, { body: `Message ${j} in room ${i}: ${'lorem ipsum '.repeat(1 + (j % 5))}` }, token)).message.id;
      conversations.push({ id: conversation.id, newest });
    }
    log(`${CONVERSATIONS} conversations of ${MESSAGES} messages`);

    const context = await browser.newContext({ baseURL: base, viewport: { width: 1280, height: 800 } });
    const page = await context.newPage();
    await signInThroughForm(page, me);

    // Cold JavaScript of the chat page: a fresh load of a conversation with the HTTP cache off and no worker yet.
    const cdp = await context.newCDPSession(page);
    await cdp.send('Network.enable');
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: true });
    const scripts = new Map<string, { url: string; encoded: number; decoded: number; headers: number }>();
    cdp.on('Network.responseReceived', (e: any) => {
      // The bytes received when the response starts: its status line and headers.
      if (e.type === 'Script') scripts.set(e.requestId, { url: e.response.url, encoded: 0, decoded: 0, headers: e.response.encodedDataLength ?? 0 });
    });
    cdp.on('Network.dataReceived', (e: any) => {
      const s = scripts.get(e.requestId);
      if (s) s.decoded += e.dataLength;
    });
    cdp.on('Network.loadingFinished', (e: any) => {
      const s = scripts.get(e.requestId);
      if (s) s.encoded = e.encodedDataLength;
    });
    const last = conversations[conversations.length - 1]!;
    await page.goto(`/c/${last.id}`);
    await page.locator(`[data-message-id="${last.newest}"]`).waitFor();
    // Chunks loaded after the first render (lazy pop-ups, the worker's registration) count too. (The page is never
    // "network idle": its socket stays open.)
    await page.waitForTimeout(3_000);
    const js = {
      files: scripts.size,
      compressedKb: round([...scripts.values()].reduce((t, s) => t + s.encoded, 0) / 1024, 1),
      compressedBodyKb: round([...scripts.values()].reduce((t, s) => t + s.encoded - s.headers, 0) / 1024, 1),
      uncompressedKb: round([...scripts.values()].reduce((t, s) => t + s.decoded, 0) / 1024, 1),
    };
    await cdp.send('Network.setCacheDisabled', { cacheDisabled: false });
    log('chat page JavaScript', js);
    for (const f of [...scripts.values()].sort((a, b) => b.encoded - a.encoded)) log(`  ${(f.encoded / 1024).toFixed(1)} KB  ${new URL(f.url).pathname}`);

    // The service worker in control, its caches warm: every conversation opened once (what a day's use leaves).
    // (A load with the HTTP cache off can leave the page uncontrolled: a plain reload lets the worker claim it.)
    await page.reload();
    await page.waitForFunction(() => navigator.serviceWorker?.controller != null, undefined, { timeout: 60_000 });
    for (const c of conversations) {
      await page.goto(`/c/${c.id}`);
      await page.locator(`[data-message-id="${c.newest}"]`).waitFor();
    }
    await page.waitForTimeout(3_000);

    const online: number[] = [];
    for (let r = 0; r < RUNS; r++) online.push(await warmOpen(page, `/c/${last.id}`, last.newest, phases));
    await context.setOffline(true);
    const offline: number[] = [];
    for (let r = 0; r < RUNS; r++) offline.push(await warmOpen(page, `/c/${last.id}`, last.newest));
    await context.setOffline(false);
    await page.getByTestId('connection-state').filter({ hasText: 'Connected' }).waitFor({ timeout: 60_000 });
    log('warm open', { online, offline });

    // Switching between conversations this page has loaded: every one opened once first, then back and forth.
    for (const c of conversations.slice(0, 3)) {
      await page.evaluate(`(${SWITCH})(${JSON.stringify([c.id, c.newest])})`);
    }
    const switches: number[] = [];
    // CLIENT_PROFILE=file.cpuprofile: the page's CPU profile over the switches (open it in DevTools or read it).
    const profile = process.env.CLIENT_PROFILE;
    if (profile) {
      await cdp.send('Profiler.enable');
      await cdp.send('Profiler.setSamplingInterval', { interval: 100 });
      await cdp.send('Profiler.start');
    }
    for (let r = 0; r < RUNS * 2; r++) {
      const c = conversations[r % 3]!;
      switches.push((await page.evaluate(`(${SWITCH})(${JSON.stringify([c.id, c.newest])})`)) as number);
    }
    if (profile) writeFileSync(profile, JSON.stringify((await cdp.send('Profiler.stop')).profile));
    log('switch', switches);

    const p = (xs: number[]) => {
      const q = percentiles(xs);
      return { p50_ms: round(q.p50_ms ?? NaN, 1), p99_ms: round(q.p99_ms ?? NaN, 1), max_ms: round(q.max_ms ?? NaN, 1) };
    };
    console.log(
      JSON.stringify({
        bench: 'client',
        database: process.env.DATABASE_URL ? 'postgresql' : 'pglite',
        conversations: CONVERSATIONS,
        messages: MESSAGES,
        js,
        warmOpenOnline: { ...p(online), phases_p50_ms: { responseStart: p(phases.responseStart).p50_ms, domContentLoaded: p(phases.domContentLoaded).p50_ms } },
        warmOpenOffline: p(offline),
        switchConversation: p(switches),
        targets: { warmOpenMs: 300, switchMs: 50, jsCompressedKb: 200 },
      }),
    );
  } finally {
    await browser.close();
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
