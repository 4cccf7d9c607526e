import type { DataSource } from 'typeorm';

const TABLES = [
  'partners', 'accounts', 'users', 'api_tokens', 'audit_events', 'outbox', 'job_completions', 'products', 'partner_budgets',
  'coupon_templates', 'issuance_requests', 'issuance_items', 'issuance_failures', 'template_account_claims', 'coupons', 'coupon_ledger',
  'orders', 'refunds', 'refund_policy',
  'faults', 'fault_accounts', 'compensation_claims', 'voucher_pools', 'voucher_pool_ledger', 'coupon_holders',
  'activation_codes', 'web_sessions', 'settlement_months', 'settlements', 'settlement_lines', 'settlement_liabilities',
];

/**
 * A digest of every row of every table: equal before and after means nothing was written. A token's
 * last_used_at and a web session's last_seen_at are bookkeeping of authentication, not writes of
 * the request, and are left out.
 */
export async function fingerprint(ds: DataSource): Promise<Record<string, string>> {
  const parts = TABLES.map((t) => `SELECT '${t}' AS t, count(*) || ':' || coalesce(md5(string_agg((to_jsonb(x) - 'last_used_at' - 'last_seen_at')::text, ',' ORDER BY x::text)), '') AS d FROM ${t} x`);
  const rows: { t: string; d: string }[] = await ds.query(parts.join(' UNION ALL '));
  return Object.fromEntries(rows.map((r) => [r.t, r.d]));
}
