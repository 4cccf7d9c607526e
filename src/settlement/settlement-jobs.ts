import type { Handler } from '../jobs/run-job';
import { enqueueJob } from '../jobs/outbox';
import { config } from '../config';
import { closeMonth } from './close-month';
import { CATCH_UP_MONTHS, dueMonths, monthOfInstant } from './settlement-month';
import { first } from '../db/rows';

/**
 * R37: months close by themselves. `settlement.close-sweep` runs on the workers' schedule, like the
 * coupon expiry sweep (src/jobs/worker-runtime.ts); it looks at the last CATCH_UP_MONTHS months
 * whose grace period is over and, for each not yet closed, writes a `settlement.close-month` intent
 * to the outbox. Its job id is the month's (`settlement.close-month-YYYY-MM`), so however many
 * sweeps see the month open, one job closes it; a delivery after the close finds it closed and
 * adds nothing (closeMonth is idempotent besides). A close that finds a transaction begun before
 * the month's end still running fails and is retried by BullMQ with backoff.
 */
export const closeDueMonths: Handler<'settlement.close-sweep'> = async (_payload, { em, log }) => {
  const { now } = first<{ now: Date }>(await em.query(`SELECT now()`), 'SELECT now()');
  const closed: { month: string }[] = await em.query(
    `SELECT to_char(month, 'YYYY-MM') AS month FROM settlement_months WHERE month >= (date_trunc('month', $1::timestamptz AT TIME ZONE 'UTC') - make_interval(months => $2))::date`,
    [now, CATCH_UP_MONTHS + 1],
  );
  const due = dueMonths(now, config().SETTLEMENT_GRACE_SECONDS, new Set(closed.map((r) => r.month)));
  for (const month of due) await enqueueJob(em, 'settlement.close-month', month, { month });
  if (due.length) log.info({ due, at: monthOfInstant(now) }, 'settlement months due to close');
};

export const closeMonthJob: Handler<'settlement.close-month'> = async ({ month }, { em, log }) => {
  const closed = await closeMonth(em, month, null);
  log.info({ month, settlements: closed.settlements }, 'settlement month closed');
};
