import { randomBytes } from 'node:crypto';
import { mkdirSync, readFileSync, writeFileSync } from 'node:fs';
import path from 'node:path';
import { env } from './env';

/**
 * Secrets that must survive restarts but need no configuration: generated once into DATA_DIR/secrets.json
 * (mode 0600) unless the environment sets them.
 */
interface StoredSecrets {
  authSecret?: string;
  vapidPublicKey?: string;
  vapidPrivateKey?: string;
}

const g = globalThis as unknown as { __chattrixSecrets?: StoredSecrets };

function secretsFile(): string {
  return path.resolve(env.DATA_DIR, 'secrets.json');
}

function load(): StoredSecrets {
  if (g.__chattrixSecrets) return g.__chattrixSecrets;
  try {
    g.__chattrixSecrets = JSON.parse(readFileSync(secretsFile(), 'utf8')) as StoredSecrets;
  } catch {
    g.__chattrixSecrets = {};
  }
  return g.__chattrixSecrets;
}

function save(update: Partial<StoredSecrets>): StoredSecrets {
  const next = { ...load(), ...update };
  try {
    mkdirSync(path.dirname(secretsFile()), { recursive: true });
    writeFileSync(secretsFile(), JSON.stringify(next, null, 2), { mode: 0o600 });
  } catch (e) {
    throw new Error(
      `Cannot write ${secretsFile()} (${(e as Error).message}). Set AUTH_SECRET (and VAPID_* keys) in the environment, or make DATA_DIR writable.`,
    );
  }
  g.__chattrixSecrets = next;
  return next;
}

export function getAuthSecret(): string {
  if (env.AUTH_SECRET) return env.AUTH_SECRET;
  const stored = load().authSecret;
  if (stored) return stored;
  return save({ authSecret: randomBytes(32).toString('base64url') }).authSecret!;
}

export function getVapidKeys(generate: () => { publicKey: string; privateKey: string }): { publicKey: string; privateKey: string } {
  if (env.VAPID_PUBLIC_KEY && env.VAPID_PRIVATE_KEY) return { publicKey: env.VAPID_PUBLIC_KEY, privateKey: env.VAPID_PRIVATE_KEY };
  const s = load();
  if (s.vapidPublicKey && s.vapidPrivateKey) return { publicKey: s.vapidPublicKey, privateKey: s.vapidPrivateKey };
  const pair = generate();
  save({ vapidPublicKey: pair.publicKey, vapidPrivateKey: pair.privateKey });
  return pair;
}
