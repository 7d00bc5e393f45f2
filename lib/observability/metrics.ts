import client from 'prom-client';
import { getIo } from '../realtime/io';

/**
 * The one Prometheus registry of this process (GET /metrics). Kept on globalThis: server.ts and Next's bundled route
 * handlers load their own copies of this module, and every copy must count into the same metrics.
 */
function build() {
  const registry = new client.Registry();
  registry.setDefaultLabels({ app: 'chattrix' });
  // process_*, nodejs_* including nodejs_eventloop_lag_seconds and its percentiles.
  client.collectDefaultMetrics({ register: registry, eventLoopMonitoringPrecision: 20 });

  const socketsConnected = new client.Gauge({
    name: 'chattrix_sockets_connected',
    help: 'Socket.IO connections open on this node',
    registers: [registry],
    collect() {
      this.set(getIo()?.of('/').sockets.size ?? 0);
    },
  });
  const messagesStored = new client.Counter({
    name: 'chattrix_messages_stored_total',
    help: 'Messages stored (rate() gives messages per second); repeated clientIds are not counted',
    labelNames: ['kind'] as const,
    registers: [registry],
  });
  const storeToEmit = new client.Histogram({
    name: 'chattrix_message_store_emit_seconds',
    help: 'From sendMessage accepting a message to message:created being emitted (batch wait, commit, hydration)',
    buckets: [0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
    registers: [registry],
  });
  const httpDuration = new client.Histogram({
    name: 'chattrix_http_request_duration_seconds',
    help: 'HTTP requests by normalised route pattern (never the raw path), method and status class',
    labelNames: ['route', 'method', 'status'] as const,
    buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10],
    registers: [registry],
  });
  const dbQuery = new client.Histogram({
    name: 'chattrix_db_query_duration_seconds',
    help: 'Database statements issued through Drizzle, by outcome',
    labelNames: ['outcome'] as const,
    buckets: [0.0005, 0.001, 0.0025, 0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5],
    registers: [registry],
  });
  const pushDeliveries = new client.Counter({
    name: 'chattrix_push_deliveries_total',
    help: 'Web push deliveries by outcome (ok, gone: the endpoint answered 404/410, failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const webhookDeliveries = new client.Counter({
    name: 'chattrix_webhook_deliveries_total',
    help: 'Outgoing webhook deliveries by outcome (ok, failed)',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  const rateLimited = new client.Counter({
    name: 'chattrix_rate_limit_refusals_total',
    help: 'Requests and events refused by a rate limit, by rule',
    labelNames: ['rule'] as const,
    registers: [registry],
  });
  const backups = new client.Counter({
    name: 'chattrix_backups_total',
    help: 'Backups taken by this node, by outcome',
    labelNames: ['outcome'] as const,
    registers: [registry],
  });
  // Every outcome shows from the start (at 0), so a dashboard's rate() has a series before the first event.
  for (const outcome of ['ok', 'gone', 'failed']) pushDeliveries.inc({ outcome }, 0);
  for (const outcome of ['ok', 'failed']) {
    webhookDeliveries.inc({ outcome }, 0);
    backups.inc({ outcome }, 0);
  }
  return { registry, socketsConnected, messagesStored, storeToEmit, httpDuration, dbQuery, pushDeliveries, webhookDeliveries, rateLimited, backups };
}

export type Metrics = ReturnType<typeof build>;

const g = globalThis as unknown as { __chattrixMetrics?: Metrics };

export function metrics(): Metrics {
  return (g.__chattrixMetrics ??= build());
}
