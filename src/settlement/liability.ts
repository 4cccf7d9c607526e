import type { z } from 'zod';
import type { Ctx } from '../auth/context';
import { authorize, findReadable } from '../auth/scope';
import { Partner } from '../tenancy/partners/partner.entity';
import { flowSums } from './settlement.sql';
import type { LiabilityJson, LiabilityQuery } from './settlement.schema';

/**
 * R38: a partner's liability per cost bearer and currency at an instant: the flows of its coupons'
 * ledger rows at or before it (issued, deducted, returned, revoked, expired, reclaimed) and what
 * they leave outstanding. Asked for now (no `at`), the same statement also sums the coupons'
 * balances, which must equal outstanding (R26 makes each coupon's balance the sum of its ledger);
 * `balanced` says whether they do. Read by the partner's own users, by its distributor (R39: a
 * reseller's totals) and by the platform admins.
 */
const LIABILITY_SQL = `
WITH f AS (
  SELECT c.cost_bearer, c.currency, ${flowSums('l')}, sum(l.amount) AS outstanding
    FROM coupon_ledger l JOIN coupons c ON c.tenant_id = l.tenant_id AND c.id = l.coupon_id
   WHERE l.tenant_id = $1 AND c.tenant_id = $1 AND c.partner_id = $2 AND ($3::timestamptz IS NULL OR l.at <= $3)
   GROUP BY c.cost_bearer, c.currency
), b AS (
  SELECT cost_bearer, currency, sum(balance) AS balance FROM coupons WHERE tenant_id = $1 AND partner_id = $2 AND $3::timestamptz IS NULL
   GROUP BY cost_bearer, currency
)
SELECT coalesce(f.cost_bearer, b.cost_bearer) AS "costBearer", coalesce(f.currency, b.currency) AS currency,
       coalesce(f.issued, 0)::text AS issued, coalesce(f.deducted, 0)::text AS deducted, coalesce(f.returned, 0)::text AS returned,
       coalesce(f.revoked, 0)::text AS revoked, coalesce(f.expired, 0)::text AS expired, coalesce(f.reclaimed, 0)::text AS reclaimed,
       coalesce(f.outstanding, 0)::text AS outstanding, CASE WHEN $3::timestamptz IS NULL THEN coalesce(b.balance, 0)::text END AS balance,
       now() AS now
  FROM f FULL JOIN b ON b.cost_bearer = f.cost_bearer AND b.currency = f.currency
 ORDER BY 2, 1`;

type Item = z.infer<typeof LiabilityJson>['items'][number];

export async function partnerLiability(ctx: Ctx, partnerId: string, q: z.output<typeof LiabilityQuery>): Promise<z.infer<typeof LiabilityJson>> {
  const partner = await findReadable(ctx, ctx.ds.manager, Partner, 'Partner', partnerId);
  authorize(ctx, 'read', 'Liability', { tenantId: partner.tenantId, partnerId: partner.id, parentId: partner.parentId });
  const rows: (Item & { now: Date })[] = await ctx.ds.query(LIABILITY_SQL, [partner.tenantId, partner.id, q.at ?? null]);
  const items = rows.map(({ now: _now, ...r }) => r);
  return {
    partnerId: partner.id,
    at: q.at ? new Date(q.at).toISOString() : (rows[0]?.now ?? new Date()).toISOString(),
    items,
    balanced: q.at ? null : items.every((r) => r.balance === r.outstanding),
  };
}
