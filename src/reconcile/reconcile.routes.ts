import type { Router } from 'express';
import type { DataSource } from 'typeorm';
import { route } from '../http/route';
import { ReconcileReport, reconciliationReport } from './reconcile';

const tags = ['Operations'];

export function reconcileRoutes(r: Router, ds: DataSource): void {
  route(r, ds, {
    method: 'get', path: '/v1/admin/reconcile', tags, errors: [403], response: ReconcileReport,
    summary: 'R26 money reconciliation: balances against ledgers, ledger chains, orders and bills against their deductions (platform admin)',
    handler: (ctx) => reconciliationReport(ctx),
  });
}
