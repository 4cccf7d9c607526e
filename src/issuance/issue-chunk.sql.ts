/**
 * One chunk of an issuance, as one statement (one round trip): take up to $3 pending items of
 * request $2 (SKIP LOCKED, so concurrent deliveries split the work), judge each account, insert the
 * coupons with a copy of the template's rules (R8), their `issue` ledger rows (R25) and audit rows
 * (R11), mark the items and count the progress on the request. Every sub-statement sees the same
 * snapshot, and the whole chunk commits or not at all.
 *
 * A coupon that already exists for (request, account) (ON CONFLICT) is taken as issued, so a chunk
 * can never leave an item pending that already has its coupon.
 */
export const ISSUE_CHUNK_SQL = `
WITH req AS (
  SELECT r.tenant_id, r.id, r.cost_bearer, r.template_id
    FROM issuance_requests r WHERE r.tenant_id = $1 AND r.id = $2 AND r.status = 'issuing'
), t AS (
  SELECT ct.* FROM coupon_templates ct JOIN req ON ct.tenant_id = req.tenant_id AND ct.id = req.template_id
), chunk AS (
  SELECT i.account_id FROM issuance_items i
   WHERE i.tenant_id = $1 AND i.request_id = $2 AND i.status = 'pending' AND EXISTS (SELECT 1 FROM req)
   ORDER BY i.account_id LIMIT $3 FOR UPDATE SKIP LOCKED
), judged AS (
  SELECT c.account_id,
         CASE WHEN a.status <> 'active' THEN 'account_deactivated'
              WHEN a.kind = 'reseller' AND (SELECT cost_bearer FROM req) = 'vendor' THEN 'reseller_account'
         END AS failure
    FROM chunk c JOIN accounts a ON a.tenant_id = $1 AND a.id = c.account_id
), ins AS (
  INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status,
                       cost_bearer, usage, valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend,
                       max_duration_months, allow_promotional, rules)
  SELECT $1, j.account_id, t.partner_id, t.id, $2, t.currency, t.face_value, t.face_value, 'unused',
         t.cost_bearer, t.usage,
         coalesce(t.valid_from, date_trunc('milliseconds', now())),
         coalesce(t.valid_until, date_trunc('milliseconds', now()) + make_interval(hours => 24 * t.valid_days)),
         t.product_codes, t.billing_modes, t.scenarios, t.min_spend, t.max_duration_months, t.allow_promotional,
         jsonb_build_object('templateName', t.name, 'description', t.description, 'issueLimit', t.issue_limit,
                            'validity', jsonb_build_object('kind', t.validity_kind, 'days', t.valid_days))
    FROM judged j CROSS JOIN t
   WHERE j.failure IS NULL
  ON CONFLICT (tenant_id, request_id, account_id) DO NOTHING
  RETURNING id, account_id, face_value
), earlier AS (
  SELECT c.id, c.account_id FROM coupons c JOIN judged j ON j.account_id = c.account_id
   WHERE c.tenant_id = $1 AND c.request_id = $2
), led AS (
  INSERT INTO coupon_ledger (tenant_id, coupon_id, account_id, type, amount, balance_after)
  SELECT $1, id, account_id, 'issue', face_value, face_value FROM ins
), aud AS (
  INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_kind)
  SELECT $1, 'coupon', id, 'issued', NULL, 'unused', 'issuance request ' || $2, 'system' FROM ins
), ok AS (
  UPDATE issuance_items i SET status = 'issued', coupon_id = c.id
    FROM (SELECT id, account_id FROM ins UNION ALL SELECT id, account_id FROM earlier) c
   WHERE i.tenant_id = $1 AND i.request_id = $2 AND i.account_id = c.account_id
  RETURNING 1
), bad AS (
  UPDATE issuance_items i SET status = 'failed', failure_reason = j.failure
    FROM judged j
   WHERE i.tenant_id = $1 AND i.request_id = $2 AND i.account_id = j.account_id AND j.failure IS NOT NULL
  RETURNING 1
), progress AS (
  UPDATE issuance_requests SET issued_count = issued_count + (SELECT count(*) FROM ok),
         failed_count = failed_count + (SELECT count(*) FROM bad), updated_at = now()
   WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM chunk)
)
SELECT (SELECT count(*) FROM chunk)::int AS taken, (SELECT count(*) FROM ok)::int AS issued, (SELECT count(*) FROM bad)::int AS failed`;
