import { randomUUID } from 'node:crypto';
import { harness } from './harness';
import type { Tree, World } from './world';
import { ledgerRows } from '../../src/coupons/ledger.sql';

/** R32 fixtures of one tree: a quota pool of the distributor and a voucher from it shared with `account`. */
export interface VoucherFixtures {
  pool: string;
  voucher: string;
}

export interface VoucherSpec {
  tenantId: string; // the partner's tenant; the partner is the tier-1 partner itself
  grantedBy: string; // a platform admin's user id
  madeBy: string; // the partner user who made the voucher
  holders: string[];
  granted: number;
  faceValue: number;
  validFrom?: Date;
  billingModes?: ('prepaid' | 'payg')[];
  scenarios?: string[];
}

/**
 * A pool and one voucher from it, as granting and making would have left them: both ledgers
 * (pool: grant, generate; voucher: issue) and the holders. Valid for 30 days from now.
 */
export async function insertVoucher(v: VoucherSpec): Promise<VoucherFixtures> {
  const [pool, voucher] = [randomUUID(), randomUUID()];
  const from = v.validFrom ?? new Date();
  await harness.ds.query(
    `INSERT INTO voucher_pools (tenant_id, id, partner_id, currency, granted, balance, valid_from, valid_until, granted_by)
     VALUES ($1, $2, $1, 'USD', $3, $3::bigint - $4::bigint, $5, now() + interval '30 days', $6)`,
    [v.tenantId, pool, v.granted, v.faceValue, from, v.grantedBy],
  );
  await harness.ds.query(
    `INSERT INTO coupons (tenant_id, id, account_id, partner_id, origin, pool_id, currency, face_value, balance, status, cost_bearer, usage,
                          valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
     VALUES ($1, $2, NULL, $1, 'voucher', $3, 'USD', $4, $4, 'unused', 'vendor', 'reusable', $5, now() + interval '30 days',
             '{}', $6, $7, false, '{}')`,
    [v.tenantId, voucher, pool, v.faceValue, from, v.billingModes ?? ['prepaid', 'payg'], v.scenarios ?? ['purchase']],
  );
  await harness.ds.query(
    ledgerRows({ type: 'issue', tenant: '$1', coupon: '$2', account: 'NULL', amount: '$3', after: '$3' }),
    [v.tenantId, voucher, v.faceValue],
  );
  await harness.ds.query(
    `INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, coupon_id, actor_user_id)
     VALUES ($1, $2, 'grant', $3, $3, NULL, $4), ($1, $2, 'generate', -$5::bigint, $3::bigint - $5::bigint, $6, $7)`,
    [v.tenantId, pool, v.granted, v.grantedBy, v.faceValue, voucher, v.madeBy],
  );
  await harness.ds.query(
    `INSERT INTO coupon_holders (tenant_id, coupon_id, account_id, added_by) SELECT $1, $2, unnest($3::uuid[]), $4`,
    [v.tenantId, voucher, v.holders, v.madeBy],
  );
  return { pool, voucher };
}

const byTree = new Map<string, VoucherFixtures>();

export function vouchersOf(t: Tree): VoucherFixtures {
  const f = byTree.get(t.partner);
  if (!f) throw new Error('addVoucherFixtures(world) first');
  return f;
}

/** Opt-in, like the code fixtures: each tree gets a 10000 pool and a 1000 voucher shared with `account`. */
export async function addVoucherFixtures(w: World): Promise<void> {
  for (const t of [w.A, w.B]) {
    byTree.set(t.partner, await insertVoucher({ tenantId: t.partner, grantedBy: w.admin.id, madeBy: t.pa.id, holders: [t.account], granted: 10000, faceValue: 1000 }));
  }
}
