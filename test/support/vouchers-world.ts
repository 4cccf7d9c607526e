import { randomUUID } from 'node:crypto';
import { harness } from './harness';
import type { Tree, World } from './world';

/** R32 fixtures of one tree: a quota pool of the distributor and a voucher from it shared with `account`. */
export interface VoucherFixtures {
  pool: string;
  voucher: string;
}

const byTree = new Map<string, VoucherFixtures>();

export function vouchersOf(t: Tree): VoucherFixtures {
  const f = byTree.get(t.partner);
  if (!f) throw new Error('addVoucherFixtures(world) first');
  return f;
}

/** Opt-in, like the code fixtures: rows as granting and making a voucher would have left them. */
export async function addVoucherFixtures(w: World): Promise<void> {
  for (const t of [w.A, w.B]) {
    const [pool, voucher] = [randomUUID(), randomUUID()];
    await harness.ds.query(
      `INSERT INTO voucher_pools (tenant_id, id, partner_id, currency, granted, balance, valid_from, valid_until, granted_by)
       VALUES ($1, $2, $1, 'USD', 10000, 9000, now(), now() + interval '30 days', $3)`,
      [t.partner, pool, w.admin.id],
    );
    await harness.ds.query(
      `INSERT INTO coupons (tenant_id, id, account_id, partner_id, origin, pool_id, currency, face_value, balance, status, cost_bearer, usage,
                            valid_from, valid_until, product_codes, billing_modes, scenarios, allow_promotional, rules)
       VALUES ($1, $2, NULL, $1, 'voucher', $3, 'USD', 1000, 1000, 'unused', 'vendor', 'reusable', now(), now() + interval '30 days',
               '{}', '{prepaid,payg}', '{purchase}', false, '{}')`,
      [t.partner, voucher, pool],
    );
    await harness.ds.query(
      `INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after) VALUES ($1, $2, NULL, 'issue', 1000, 1000)`,
      [t.partner, voucher],
    );
    await harness.ds.query(
      `INSERT INTO voucher_pool_ledger (tenant_id, pool_id, type, amount, balance_after, coupon_id, actor_user_id)
       VALUES ($1, $2, 'grant', 10000, 10000, NULL, $3), ($1, $2, 'generate', -1000, 9000, $4, $5)`,
      [t.partner, pool, w.admin.id, voucher, t.pa.id],
    );
    await harness.ds.query(`INSERT INTO coupon_holders (tenant_id, coupon_id, account_id, added_by) VALUES ($1, $2, $3, $4)`, [t.partner, voucher, t.account, t.pa.id]);
    byTree.set(t.partner, { pool, voucher });
  }
}
