/**
 * Developer docs against the real shared server: the served OpenAPI document passes Redocly's recommended lint
 * with no errors and no warnings; the example bot's generated client types and the Socket.IO events page are
 * what the served document and the contract generate now (drift fails here); /api/docs renders the reference in
 * real Chromium under the strict CSP (no violations, no outside requests); the echo bot answers a mention.
 */
import { spawn, spawnSync, type ChildProcess } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { chromium } from '@playwright/test';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { apiTypesPath, renderApiTypes } from '../../scripts/api-types';
import { outPath as realtimeDocsPath, renderRealtimeDocs, generateRealtimeDocs } from '../../scripts/realtime-docs';
import { connectSocket, createToken, nextEvent, registerUser, request } from '../helpers/api';
import { repoRoot } from '../helpers/server';

const baseUrl = inject('baseUrl');
const tmp = mkdtempSync(path.join(tmpdir(), 'chattrix-docs-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

async function servedDocument(): Promise<Record<string, unknown>> {
  const res = await request(baseUrl, '/api/v1/openapi.json');
  expect(res.status).toBe(200);
  return res.body as Record<string, unknown>;
}

describe('the OpenAPI document', () => {
  it("passes Redocly's recommended lint with no errors and no warnings", async () => {
    const file = path.join(tmp, 'openapi.json');
    writeFileSync(file, JSON.stringify(await servedDocument()));
    const run = spawnSync(path.join(repoRoot, 'node_modules/.bin/redocly'), ['lint', file, '--format=json'], { cwd: tmp, encoding: 'utf8', timeout: 120_000 });
    const report = JSON.parse(run.stdout) as { totals: { errors: number; warnings: number }; problems: { ruleId: string; message: string }[] };
    expect(report.problems.map((p) => `${p.ruleId}: ${p.message}`)).toEqual([]);
    expect(report.totals).toMatchObject({ errors: 0, warnings: 0 });
    expect(run.status).toBe(0);
  });

  it('every operation has a unique operationId', async () => {
    const doc = (await servedDocument()) as { paths: Record<string, Record<string, { operationId?: string }>> };
    const ids = Object.values(doc.paths).flatMap((item) => Object.entries(item).filter(([k]) => k !== 'servers' && k !== 'parameters').map(([, op]) => op.operationId));
    expect(ids.length).toBeGreaterThan(70);
    expect(ids.every((id) => typeof id === 'string' && id.length > 0)).toBe(true);
    expect(new Set(ids).size).toBe(ids.length);
  });

  it("the example bot's client types are generated from the served document (regenerate: node --import tsx scripts/api-types.ts)", async () => {
    expect(readFileSync(apiTypesPath, 'utf8')).toBe(await renderApiTypes(await servedDocument()));
  });
});

describe('docs pages', () => {
  it('the Socket.IO page is generated from the contract (regenerate: node --import tsx scripts/realtime-docs.ts)', async () => {
    expect(readFileSync(realtimeDocsPath, 'utf8')).toBe(renderRealtimeDocs());
    const res = await request(baseUrl, '/api/docs/realtime');
    expect(res.status).toBe(200);
    const docs = generateRealtimeDocs();
    for (const e of [...docs.clientToServer, ...docs.serverToClient]) expect(res.text).toContain(`<code>${e.event}</code>`);
    expect(res.text).toContain('conversationId');
  });

  it('the webhooks page documents the signature, payload and retries', async () => {
    const res = await request(baseUrl, '/api/docs/webhooks');
    expect(res.status).toBe(200);
    expect(res.text).toContain('Chattrix-Signature: t=&lt;unix seconds&gt;,v1=');
    for (const word of ['message.created', 'bot.mentioned', 'bot.direct_message', 'createHmac', 'responseUrl', '24 hours']) expect(res.text).toContain(word);
  });

  it('/api/docs renders the API reference in Chromium under the strict CSP, loading nothing from elsewhere', async () => {
    const res = await request(baseUrl, '/api/docs');
    const csp = res.headers.get('content-security-policy') ?? '';
    expect(csp).toMatch(/script-src 'nonce-[^']+' 'strict-dynamic'/);
    const nonce = /'nonce-([^']+)'/.exec(csp)![1]!;
    expect(res.text).toContain(`<script nonce="${nonce}" src="/api/docs/scalar.js">`);
    const js = await fetch(new URL('/api/docs/scalar.js', baseUrl));
    expect(js.headers.get('content-type')).toMatch(/javascript/);

    const browser = await chromium.launch({ executablePath: '/usr/bin/chromium', args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--disable-sync', '--no-first-run', '--disable-quic'] });
    try {
      const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
      const problems: string[] = [];
      const elsewhere: string[] = [];
      page.on('console', (m) => {
        if (m.type() === 'error') problems.push(m.text());
      });
      page.on('pageerror', (e) => problems.push(e.message));
      page.on('request', (r) => {
        if (!r.url().startsWith(baseUrl) && !r.url().startsWith('data:') && !r.url().startsWith('blob:')) elsewhere.push(r.url());
      });
      await page.addInitScript(() => document.addEventListener('securitypolicyviolation', (e) => console.error(`CSP violation: ${e.violatedDirective} ${e.blockedURI}`)));
      await page.goto(new URL('/api/docs', baseUrl).href);
      await page.getByText('Create an account').first().waitFor({ timeout: 30_000 });
      await page.getByText('Authentication', { exact: false }).first().waitFor();
      if (process.env.DOCS_SCREENSHOT) await page.screenshot({ path: process.env.DOCS_SCREENSHOT });
      expect(problems).toEqual([]);
      expect(elsewhere).toEqual([]);
    } finally {
      await browser.close();
    }
  });
});

describe('examples/echo-bot.ts', () => {
  let child: ChildProcess | undefined;
  afterAll(() => {
    child?.kill('SIGTERM');
  });

  it('runs against the real server with a bot token and answers a mention', async () => {
    const owner = await registerUser(baseUrl, { prefix: 'echo' });
    const ownerToken = (await createToken(baseUrl, owner)).token;
    const username = `echobot_${owner.username.slice(5, 20)}`;
    const bot = await request(baseUrl, '/api/v1/bots', { method: 'POST', token: ownerToken, body: { username, displayName: 'Echo' } });
    expect(bot.status, bot.text).toBe(201);
    const conv = await request(baseUrl, '/api/v1/conversations', { method: 'POST', token: ownerToken, body: { kind: 'group', title: 'echo test', memberIds: [bot.body.bot.id] } });
    expect(conv.status, conv.text).toBe(201);

    const proc = spawn(process.execPath, ['--import', 'tsx', 'examples/echo-bot.ts'], {
      cwd: repoRoot,
      env: { PATH: process.env.PATH ?? '', CHATTRIX_URL: baseUrl, CHATTRIX_TOKEN: bot.body.token.token as string } as unknown as NodeJS.ProcessEnv,
      stdio: ['ignore', 'pipe', 'pipe'],
    });
    child = proc;
    let out = '';
    proc.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    proc.stderr!.on('data', (d: Buffer) => (out += d.toString()));
    await expect.poll(() => out, { timeout: 30_000 }).toContain('is listening');

    const sock = await connectSocket(baseUrl, { token: ownerToken });
    try {
      const reply = nextEvent<{ message: { sender: { id: string } | null; body: string } }>(sock, 'message:created', (p) => p.message.sender?.id === bot.body.bot.id, 20_000);
      const sent = await request(baseUrl, `/api/v1/conversations/${conv.body.conversation.id}/messages`, { method: 'POST', token: ownerToken, body: { body: `@${username} hello there` } });
      expect(sent.status, sent.text).toBe(201);
      expect((await reply).message.body).toBe('echo: hello there');
      await expect.poll(() => out).toContain(`replied to ${sent.body.message.id}`);
    } finally {
      sock.close();
    }
  });
});
