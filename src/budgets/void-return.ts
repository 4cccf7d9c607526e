import type { EntityManager } from 'typeorm';

/**
 * R35, R36: what a void took off coupons goes back to the budget each coupon's request drew on,
 * one row per (tenant, request) with the total, in the void's transaction (after its coupon locks).
 */
// A no-op here: the budget chain (R36) fills it in.
export async function returnVoidedToBudgets(_em: EntityManager, _rows: { tenantId: string; requestId: string; amount: bigint }[]): Promise<void> {}
