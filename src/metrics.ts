import client from 'prom-client';
import type { DataSource } from 'typeorm';

export const metrics = new client.Registry();
client.collectDefaultMetrics({ register: metrics });

export const httpDuration = new client.Histogram({
  name: 'http_request_duration_seconds',
  help: 'HTTP request duration by method, route and status',
  labelNames: ['method', 'route', 'status'] as const,
  buckets: [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5],
  registers: [metrics],
});

export const jobsProcessed = new client.Counter({
  name: 'jobs_processed_total',
  help: 'BullMQ jobs processed by name and outcome',
  labelNames: ['job', 'outcome'] as const,
  registers: [metrics],
});

/** Unsent outbox intents: a growing number means the relay or Redis is down. */
export function registerOutboxGauge(ds: DataSource): void {
  if (metrics.getSingleMetric('outbox_pending')) return;
  new client.Gauge({
    name: 'outbox_pending',
    help: 'Job intents committed but not yet relayed to BullMQ',
    registers: [metrics],
    async collect() {
      const [row] = await ds.query(`SELECT count(*)::int AS n FROM outbox WHERE sent_at IS NULL`);
      this.set(row.n);
    },
  });
}
