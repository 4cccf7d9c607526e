import type { Handlers } from '../src/jobs/run-job';
import { deactivatePartnerTree } from '../src/tenancy/partners/deactivate-partner-tree.job';
import { expireRequest, issueRequest, routeRequest } from '../src/issuance/issuance-jobs';
import { expireCoupons } from '../src/coupons/expire-sweep.job';
import { markOverdue, runBillingCycle } from '../src/billing/billing-cycle.job';
import { closeDueMonths, closeMonthJob } from '../src/settlement/settlement-jobs';

/** Every job of src/jobs/job-types.ts has its handler here; the compiler and the start both check. */
export const handlers: Handlers = {
  'tenancy.deactivate-partner-tree': deactivatePartnerTree,
  'issuance.route': routeRequest,
  'issuance.expire': expireRequest,
  'issuance.issue': issueRequest,
  'coupons.expire-sweep': expireCoupons,
  'billing.cycle': runBillingCycle,
  'bills.overdue-sweep': markOverdue,
  'settlement.close-sweep': closeDueMonths,
  'settlement.close-month': closeMonthJob,
};
