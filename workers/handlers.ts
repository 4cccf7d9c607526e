import type { Handlers } from '../src/jobs/run-job';
import { deactivatePartnerTree } from '../src/tenancy/partners/deactivate-partner-tree.job';

/** Every job of src/jobs/job-types.ts has its handler here; the compiler and the start both check. */
export const handlers: Handlers = {
  'tenancy.deactivate-partner-tree': deactivatePartnerTree,
};
