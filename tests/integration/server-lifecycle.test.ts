/**
 * The server process itself: it runs on the database the environment names, keeps its generated AUTH_SECRET and
 * its data across a restart (sessions survive), and SIGTERM closes sockets and exits cleanly.
 */
import { mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import path from 'node:path';
import { afterAll, describe, expect, inject, it } from 'vitest';
import { connectSocket, createToken, login, registerUser, request } from '../helpers/api';
import { startServer, type RunningServer } from '../helpers/server';

describe('the shared test server', () => {
  it('uses the database and adapter the environment asks for', () => {
    const banner = inject('serverBanner');
    expect(banner).toMatch(/^Chattrix listening on http:\/\/127\.0\.0\.1:\d+ \(production, /);
    expect(banner).toContain(process.env.DATABASE_URL ? 'database: postgres' : 'database: pglite');
    if (process.env.REDIS_URL) expect(banner).toContain('redis adapter');
    else expect(banner).not.toContain('redis');
  });
});

describe('restart and shutdown', () => {
  const dataDir = mkdtempSync(path.join(tmpdir(), 'chattrix-restart-'));
  let server: RunningServer | undefined;
  afterAll(async () => {
    await server?.kill();
    rmSync(dataDir, { recursive: true, force: true });
  });

  it('keeps the generated AUTH_SECRET, the accounts and the sessions across a restart; SIGTERM exits 0', async () => {
    server = await startServer({ dataDir });
    const secretsFile = path.join(dataDir, 'secrets.json');
    const secrets = JSON.parse(readFileSync(secretsFile, 'utf8')) as { authSecret?: string };
    expect(secrets.authSecret?.length).toBeGreaterThanOrEqual(32);
    expect(statSync(secretsFile).mode & 0o777).toBe(0o600);

    const user = await registerUser(server.url, { prefix: 'restart' });
    const cookie = await login(server.url, user);
    const { token } = await createToken(server.url, user);
    const socket = await connectSocket(server.url, { token });
    const disconnected = new Promise<string>((resolve) => socket.once('disconnect', (reason) => resolve(reason)));

    // SIGTERM: the open socket is closed by the server, and the process exits cleanly.
    const code = await server.stop();
    expect(code, server.logs()).toBe(0);
    expect(await disconnected).toMatch(/server|transport/);
    socket.close();

    // Start-up time is measured by `npm run bench` (cold start), never asserted here.
    server = await startServer({ dataDir });
    expect(JSON.parse(readFileSync(secretsFile, 'utf8'))).toEqual(secrets);
    const me = await request(server.url, '/api/v1/me', { cookie });
    expect(me.status, me.text).toBe(200);
    expect(me.body.user.username).toBe(user.username);
    expect((await request(server.url, '/api/v1/me', { token })).status).toBe(200);
    expect((await request(server.url, '/healthz')).status).toBe(200);
    expect(await server.stop()).toBe(0);
    server = undefined;
  }, 90_000);

  it('refuses to start on a bad configuration, naming the variable', async () => {
    await expect(startServer({ env: { PORT: 'not-a-port' }, timeoutMs: 30_000 })).rejects.toThrow(/PORT/);
    await expect(startServer({ env: { DATABASE_URL: 'mysql://nope' }, timeoutMs: 30_000 })).rejects.toThrow(/DATABASE_URL/);
  });
});
