import { hash, verify } from '@node-rs/argon2';

/** argon2id (the binding's default algorithm) at OWASP's minimum: m=19456 KiB, t=2, p=1. */
export const ARGON2_PARAMS = { memoryCost: 19_456, timeCost: 2, parallelism: 1, outputLen: 32 } as const;

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(passwordHash: string, password: string): Promise<boolean> {
  try {
    return await verify(passwordHash, password);
  } catch {
    return false;
  }
}

let dummyHash: Promise<string> | undefined;
/** A hash to verify against when the user does not exist, so both answers take the same time. */
export function getDummyHash(): Promise<string> {
  return (dummyHash ??= hashPassword('chattrix-timing-equaliser-' + Math.random()));
}
