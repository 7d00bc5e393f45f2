/**
 * The request header that asks the service worker for the network's answer only (no cached snapshot in its place):
 * the app's catch-up after a reconnect sends it. Shared by the app (lib/client/api.ts) and the worker (lib/sw/sw.ts).
 */
export const FRESH_HEADER = 'x-chattrix-fresh';
