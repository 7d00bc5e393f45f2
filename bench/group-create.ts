/**
 * `node --import tsx bench/group-create.ts`: the time to create a group of 1,000 members (issue 10: "well under a
 * second of server time"), on a fresh built server (PGlite unless DATABASE_URL is set, RATE_LIMITS=off).
 * Registers BENCH_GROUP_MEMBERS (default 1000) people, then creates the group BENCH_GROUP_RUNS times (default 3),
 * timing each POST /conversations on loopback while a probe measures GET /healthz latency alongside (does one big
 * group stall everyone else?). Prints one JSON line.
 */
import { performance } from 'node:perf_hooks';
import { startServer } from '../tests/helpers/server';
import { pool, range } from './lib';

const members = Number(process.env.BENCH_GROUP_MEMBERS ?? 1000);
const runs = Number(process.env.BENCH_GROUP_RUNS ?? 3);

async function api<T>(base: string, method: string, path: string, body?: unknown, token?: string): Promise<T> {
  const res = await fetch(new URL(path, base), {
    method,
    headers: { 'content-type': 'application/json', ...(token ? { authorization: `Bearer ${token}` } : {}) },
    body: body === undefined ? undefined : JSON.stringify(body),
  });
  const text = await res.text();
  if (!res.ok) throw new Error(`${method} ${path}: ${res.status} ${text}`);
  return JSON.parse(text) as T;
}


async function main() {
  const server = await startServer({ timeoutMs: 120_000 });
  try {
    const tag = Math.random().toString(36).slice(2, 8);
    const password = 'correct horse battery staple';
    process.stderr.write(`registering ${members + 1} people…\n`);
    const ids = await pool(range(members + 1), 8, async (_, i) => (await api<{ user: { id: string } }>(server.url, 'POST', '/api/v1/auth/register', { username: `g${tag}_${i}`, password })).user.id);
    const { token } = await api<{ token: string }>(server.url, 'POST', '/api/v1/auth/tokens', { username: `g${tag}_0`, password, name: 'bench' });
    const times: number[] = [];
    const probes: number[] = [];
    for (let r = 0; r < runs; r++) {
      let done = false;
      const probe = (async () => {
        while (!done) {
          const t = performance.now();
          await fetch(new URL('/healthz', server.url)).then((x) => x.arrayBuffer());
          probes.push(performance.now() - t);
          await new Promise((res) => setTimeout(res, 20));
        }
      })();
      const t0 = performance.now();
      const created = await api<{ conversation: { members: unknown[] } }>(server.url, 'POST', '/api/v1/conversations', { kind: 'group', title: `Big ${r}`, memberIds: ids.slice(1) }, token);
      times.push(performance.now() - t0);
      done = true;
      await probe;
      if (created.conversation.members.length !== members + 1) throw new Error(`group has ${created.conversation.members.length} members`);
    }
    const sorted = [...probes].sort((a, b) => a - b);
    console.log(
      JSON.stringify({
        workload: 'group-create',
        members,
        database: server.banner.includes('postgres') ? 'postgres' : 'pglite',
        createMs: times.map((t) => Math.round(t)),
        bestMs: Math.round(Math.min(...times)),
        healthzDuringMs: { p50: Math.round(sorted[Math.floor(sorted.length / 2)] ?? 0), max: Math.round(sorted.at(-1) ?? 0) },
      }),
    );
  } finally {
    await server.stop();
  }
}

main().catch((e) => {
  console.error(e);
  process.exit(1);
});
