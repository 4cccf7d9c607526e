import type { Express, RequestHandler } from 'express';
import type { Queue } from 'bullmq';
import type { DataSource } from 'typeorm';
import { createBullBoard } from '@bull-board/api';
import { BullMQAdapter } from '@bull-board/api/bullMQAdapter';
import { ExpressAdapter } from '@bull-board/express';
import { authenticate } from '../auth/authenticate';
import { forbidden } from '../shared/errors';
import type { AppAbility } from '../auth/abilities';

export const DASHBOARD_PATH = '/admin/queues';

/** Bull Board for platform admins: jobs by state, failed ones with their reason, retry. */
export function mountQueueDashboard(app: Express, ds: DataSource, queues: Queue[]): void {
  const server = new ExpressAdapter();
  server.setBasePath(DASHBOARD_PATH);
  createBullBoard({ queues: queues.map((q) => new BullMQAdapter(q)), serverAdapter: server });
  const onlyAdmins: RequestHandler = (_req, res, next) => {
    if (!(res.locals.ability as AppAbility).can('read', 'QueueDashboard')) throw forbidden('the queue dashboard is for platform admins');
    next();
  };
  app.use(DASHBOARD_PATH, authenticate(ds), onlyAdmins, server.getRouter());
}
