import { env } from '../env';
import { newId } from '../ids';

/**
 * Who is online, without asking every node on each connect. Each node counts its own sockets per user; with Redis
 * the counts are shared:
 *
 *   {REDIS_PREFIX}:presence:u:{userId}   hash  nodeId → sockets of that user on that node
 *   {REDIS_PREFIX}:presence:nodes        hash  nodeId → last heartbeat (ms); a node is alive for NODE_TTL_MS after it
 *   {REDIS_PREFIX}:presence:n:{nodeId}   set   users with sockets on that node (to clean up after a dead node)
 *   {REDIS_PREFIX}:presence:sockets      hash  nodeId → that node's sockets in all, as of its last heartbeat
 *
 * A connect or disconnect is one MULTI (increment, read the user's counts and the node list): one round trip,
 * whatever the number of nodes, and it tells whether this was the user's first (or last) socket cluster-wide.
 * Counts of a node whose heartbeat stopped (SIGKILL, power loss) are ignored at once by readers; the first live node
 * that notices the dead one removes its counts and announces `offline` for users left with no socket anywhere.
 * Without Redis the counts are this process's own.
 */
// Per install (REDIS_PREFIX): a node of another install on the same Redis must never count, or clean up, ours.
const PREFIX = `${env.REDIS_PREFIX}:presence`;
const NODES = `${PREFIX}:nodes`;
const userKey = (userId: string) => `${PREFIX}:u:${userId}`;
const nodeUsersKey = (nodeId: string) => `${PREFIX}:n:${nodeId}`;
const SOCKETS = `${PREFIX}:sockets`;
export const NODE_TTL_MS = 15_000;
const BEAT_MS = 5_000;

/** The subset of node-redis this module uses. */
export interface PresenceRedis {
  multi(): PresenceMulti;
  hSet(key: string, field: string, value: string): Promise<unknown>;
  hDel(key: string, field: string | string[]): Promise<number>;
  hGetAll(key: string): Promise<Record<string, string>>;
  sRem(key: string, member: string): Promise<unknown>;
  sMembers(key: string): Promise<string[]>;
  del(key: string): Promise<unknown>;
}
interface PresenceMulti {
  hIncrBy(key: string, field: string, by: number): PresenceMulti;
  hGetAll(key: string): PresenceMulti;
  sAdd(key: string, member: string): PresenceMulti;
  exec(): Promise<unknown[]>;
}

interface State {
  nodeId: string;
  local: Map<string, number>;
  redis?: PresenceRedis;
  timer?: ReturnType<typeof setInterval>;
  onOffline?: (userId: string) => Promise<void>;
}

const g = globalThis as unknown as { __chattrixPresence?: State };
const state: State = (g.__chattrixPresence ??= { nodeId: newId(), local: new Map() });

export function nodeId(): string {
  return state.nodeId;
}

function alive(nodes: Record<string, string>, node: string, now: number): boolean {
  if (node === state.nodeId) return true;
  const beat = Number(nodes[node]);
  return Number.isFinite(beat) && now - beat < NODE_TTL_MS;
}

function total(counts: Record<string, string>, nodes: Record<string, string>, now = Date.now()): number {
  let n = 0;
  for (const [node, c] of Object.entries(counts)) if (alive(nodes, node, now)) n += Math.max(0, Number(c) || 0);
  return n;
}

/** This node's sockets in all (every user's count here). */
function localTotal(): number {
  let n = 0;
  for (const c of state.local.values()) n += c;
  return n;
}

async function beat(): Promise<void> {
  const redis = state.redis;
  if (!redis) return;
  const now = Date.now();
  await redis.hSet(NODES, state.nodeId, String(now));
  await redis.hSet(SOCKETS, state.nodeId, String(localTotal()));
  const nodes = await redis.hGetAll(NODES);
  for (const node of Object.keys(nodes)) {
    if (alive(nodes, node, now)) continue;
    // Exactly one live node wins the HDEL and cleans up after the dead one.
    if ((await redis.hDel(NODES, node)) !== 1) continue;
    const users = await redis.sMembers(nodeUsersKey(node));
    for (const userId of users) {
      await redis.hDel(userKey(userId), node);
      const counts = await redis.hGetAll(userKey(userId));
      if (total(counts, nodes, now) === 0) await state.onOffline?.(userId).catch(() => {});
    }
    await redis.del(nodeUsersKey(node));
    await redis.hDel(SOCKETS, node);
  }
}

/** Starts counting (with Redis: heartbeats and dead-node clean-up). Call before sockets are accepted. */
export async function startPresence(opts: { redis?: PresenceRedis; onOffline: (userId: string) => Promise<void> }): Promise<void> {
  state.redis = opts.redis;
  state.onOffline = opts.onOffline;
  state.local.clear();
  if (!opts.redis) return;
  await beat();
  state.timer = setInterval(() => void beat().catch((e) => console.warn('[chattrix] presence heartbeat failed:', (e as Error).message)), BEAT_MS);
  state.timer.unref();
}

/** Stops the heartbeat and removes this node's counts (its sockets are already closed). */
export async function stopPresence(): Promise<void> {
  if (state.timer) clearInterval(state.timer);
  state.timer = undefined;
  const redis = state.redis;
  state.redis = undefined;
  if (redis) {
    for (const userId of state.local.keys()) await redis.hDel(userKey(userId), state.nodeId).catch(() => {});
    await redis.del(nodeUsersKey(state.nodeId)).catch(() => {});
    await redis.hDel(NODES, state.nodeId).catch(() => {});
    await redis.hDel(SOCKETS, state.nodeId).catch(() => {});
  }
  state.local.clear();
}

/** A socket of this user connected on this node. Resolves true when it is the user's only socket anywhere. */
export async function socketConnected(userId: string): Promise<boolean> {
  const mine = (state.local.get(userId) ?? 0) + 1;
  state.local.set(userId, mine);
  const redis = state.redis;
  if (!redis) return mine === 1;
  const replies = await redis.multi().hIncrBy(userKey(userId), state.nodeId, 1).sAdd(nodeUsersKey(state.nodeId), userId).hGetAll(userKey(userId)).hGetAll(NODES).exec();
  return total(replies[2] as Record<string, string>, replies[3] as Record<string, string>) === 1;
}

/** A socket of this user disconnected from this node. Resolves true when the user has no socket left anywhere. */
export async function socketDisconnected(userId: string): Promise<boolean> {
  const mine = Math.max(0, (state.local.get(userId) ?? 0) - 1);
  if (mine === 0) state.local.delete(userId);
  else state.local.set(userId, mine);
  const redis = state.redis;
  if (!redis) return mine === 0;
  const replies = await redis.multi().hIncrBy(userKey(userId), state.nodeId, -1).hGetAll(userKey(userId)).hGetAll(NODES).exec();
  if (Number(replies[0]) <= 0 && !state.local.has(userId)) {
    await redis.hDel(userKey(userId), state.nodeId);
    await redis.sRem(nodeUsersKey(state.nodeId), userId);
  }
  return total(replies[1] as Record<string, string>, replies[2] as Record<string, string>) === 0;
}

/** Which of these users have at least one connected socket, on any live node: one round trip with Redis. */
export async function getOnlineUserIds(userIds: string[]): Promise<Set<string>> {
  const online = new Set<string>();
  if (userIds.length === 0) return online;
  const redis = state.redis;
  if (!redis) {
    for (const id of userIds) if ((state.local.get(id) ?? 0) > 0) online.add(id);
    return online;
  }
  try {
    let m = redis.multi().hGetAll(NODES);
    for (const id of userIds) m = m.hGetAll(userKey(id));
    const replies = await m.exec();
    const nodes = replies[0] as Record<string, string>;
    const now = Date.now();
    userIds.forEach((id, i) => {
      if (total(replies[i + 1] as Record<string, string>, nodes, now) > 0) online.add(id);
    });
  } catch (e) {
    console.warn('[chattrix] presence lookup failed:', (e as Error).message);
    for (const id of userIds) if ((state.local.get(id) ?? 0) > 0) online.add(id);
  }
  return online;
}

/**
 * Sockets connected now, per live node (the admin console's overview). Other nodes' counts are as of their last
 * heartbeat (at most BEAT_MS old); this node's own is live. Without Redis: this node alone.
 */
export async function socketsPerNode(): Promise<{ nodeId: string; sockets: number; self: boolean }[]> {
  const mine = { nodeId: state.nodeId, sockets: localTotal(), self: true };
  const redis = state.redis;
  if (!redis) return [mine];
  try {
    const replies = await redis.multi().hGetAll(NODES).hGetAll(SOCKETS).exec();
    const nodes = replies[0] as Record<string, string>;
    const counts = replies[1] as Record<string, string>;
    const now = Date.now();
    const others = Object.keys(nodes)
      .filter((node) => node !== state.nodeId && alive(nodes, node, now))
      .map((node) => ({ nodeId: node, sockets: Math.max(0, Number(counts[node]) || 0), self: false }));
    return [mine, ...others.sort((x, y) => x.nodeId.localeCompare(y.nodeId))];
  } catch (e) {
    console.warn('[chattrix] sockets per node lookup failed:', (e as Error).message);
    return [mine];
  }
}
