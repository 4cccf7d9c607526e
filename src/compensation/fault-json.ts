import type { z } from '../shared/zod';
import { EXCLUDED_CAUSES, MULTIPLE, claimWindowEnd } from './compensation-rules';
import type { Fault } from './fault.entity';
import type { FaultJson } from './compensation.schema';

export function faultJson(f: Fault, accountIds: string[]): z.infer<typeof FaultJson> {
  const exclusion = EXCLUDED_CAUSES[f.cause] ?? null;
  return {
    id: f.id,
    productCode: f.productCode,
    kind: f.kind,
    cause: f.cause,
    start: f.startsAt.toISOString(),
    end: f.endsAt.toISOString(),
    description: f.description,
    multiple: Number(MULTIPLE[f.kind]),
    compensable: exclusion === null,
    exclusionReason: exclusion,
    claimWindowEndsAt: claimWindowEnd(f.endsAt).toISOString(),
    accountIds,
    createdAt: f.createdAt.toISOString(),
  };
}
