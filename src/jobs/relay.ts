import { Client } from 'pg';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import type { Logger } from '../logger';
import { failpoint } from '../shared/failpoints';
import { JOBS, type JobName } from './job-types';
import { OUTBOX_CHANNEL } from './outbox';

interface OutboxRow {
  id: string;
  job_name: string;
  job_id: string;
  payload: unknown;
  delay_ms: number;
}

const BATCH = 500;

/**
 * Moves committed intents from the outbox to BullMQ. Rows are claimed with SKIP LOCKED, added under
 * their deterministic job id, and marked sent in the same transaction: a relay killed after the add
 * and before the commit re-adds the same ids next time, which BullMQ ignores. Woken by NOTIFY on
 * commit, with a poll as the fallback.
 */
export class OutboxRelay {
  private listener?: Client;
  private timer?: NodeJS.Timeout;
  private running?: Promise<void>;
  private again = false;
  private stopped = false;

  constructor(
    private readonly ds: DataSource,
    private readonly queues: Map<string, Queue>,
    private readonly log: Logger,
    private readonly opts: { databaseUrl: string; pollMs: number },
  ) {}

  async start(): Promise<void> {
    this.listener = new Client({ connectionString: this.opts.databaseUrl });
    this.listener.on('error', (err) => this.log.warn({ err }, 'outbox listener connection error'));
    await this.listener.connect();
    this.listener.on('notification', () => this.kick());
    await this.listener.query(`LISTEN ${OUTBOX_CHANNEL}`);
    this.timer = setInterval(() => this.kick(), this.opts.pollMs);
    this.kick();
  }

  /** Drain now; concurrent kicks fold into one more pass. */
  kick(): void {
    if (this.stopped) return;
    if (this.running) {
      this.again = true;
      return;
    }
    this.running = this.drain()
      .then(() => undefined)
      .catch((err: unknown) => this.log.warn({ err }, 'outbox relay pass failed; will retry'))
      .finally(() => {
        this.running = undefined;
        if (this.again && !this.stopped) {
          this.again = false;
          this.kick();
        }
      });
  }

  async drain(): Promise<number> {
    let total = 0;
    for (;;) {
      const moved = await this.relayBatch();
      total += moved;
      if (moved < BATCH || this.stopped) return total;
    }
  }

  private async relayBatch(): Promise<number> {
    return this.ds.transaction(async (em) => {
      const rows: OutboxRow[] = await em.query(
        `SELECT id, job_name, job_id, payload,
                greatest(0, floor(extract(epoch FROM run_at - now()) * 1000))::int AS delay_ms
           FROM outbox WHERE sent_at IS NULL ORDER BY id LIMIT ${BATCH} FOR UPDATE SKIP LOCKED`,
      );
      if (rows.length === 0) return 0;
      const byQueue = new Map<Queue, Parameters<Queue['addBulk']>[0]>();
      for (const r of rows) {
        const def = JOBS[r.job_name as JobName];
        if (!def) throw new Error(`outbox row ${r.id} names unknown job ${r.job_name}`);
        const queue = this.queues.get(def.queue)!;
        const list = byQueue.get(queue) ?? [];
        list.push({ name: r.job_name, data: r.payload, opts: { jobId: r.job_id, delay: r.delay_ms } });
        byQueue.set(queue, list);
      }
      for (const [queue, jobs] of byQueue) await queue.addBulk(jobs);
      failpoint('relay.after-add');
      await em.query(`UPDATE outbox SET sent_at = now(), relay_attempts = relay_attempts + 1 WHERE id = ANY($1::bigint[])`, [
        rows.map((r) => r.id),
      ]);
      this.log.debug({ count: rows.length }, 'outbox relayed');
      return rows.length;
    });
  }

  async stop(): Promise<void> {
    this.stopped = true;
    if (this.timer) clearInterval(this.timer);
    await this.running;
    await this.listener?.end().catch(() => undefined);
  }
}
