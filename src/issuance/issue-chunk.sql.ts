import { TEMPLATE_COPY_COLUMNS, TEMPLATE_COPY_VALUES } from './template-copy.sql';
import { ledgerRows } from '../coupons/ledger.sql';

/**
 * One chunk of an issuance, as one statement (one round trip): the next $3 accounts of request $2
 * after account $4, in account order; each is judged, then gets its coupon with a copy of the
 * template's rules (R8), its `issue` ledger row (R25) and audit row (R11), or a failure row with
 * its reason; the request's progress counts what this chunk really inserted.
 *
 * Exactly one coupon per (request, account) comes from the unique key, not from bookkeeping: a
 * retry, a second delivery or a restart after a kill walks the same accounts again and inserts
 * nothing twice (ON CONFLICT DO NOTHING counts only new rows). No row is updated per account, and
 * every join is driven by the chunk's own rows through an index, whatever the planner estimates.
 */
export const ISSUE_CHUNK_SQL = `
WITH req AS (
  SELECT r.tenant_id, r.cost_bearer, r.template_id
    FROM issuance_requests r WHERE r.tenant_id = $1 AND r.id = $2 AND r.status = 'issuing'
), t AS (
  SELECT ct.* FROM coupon_templates ct JOIN req ON ct.tenant_id = req.tenant_id AND ct.id = req.template_id
), picked AS (
  SELECT i.account_id FROM issuance_items i
   WHERE i.tenant_id = $1 AND i.request_id = $2 AND i.account_id > $4 AND EXISTS (SELECT 1 FROM req)
   ORDER BY i.account_id LIMIT $3
), judged AS (
  SELECT p.account_id,
         CASE WHEN a.status <> 'active' THEN 'account_deactivated'
              WHEN a.kind = 'reseller' AND (SELECT cost_bearer FROM req) = 'vendor' THEN 'reseller_account'
         END AS failure
    FROM picked p JOIN accounts a ON a.tenant_id = $1 AND a.id = p.account_id
), ins AS (
  INSERT INTO coupons (tenant_id, account_id, partner_id, template_id, request_id, currency, face_value, balance, status,
                       ${TEMPLATE_COPY_COLUMNS})
  SELECT $1, j.account_id, t.partner_id, t.id, $2, t.currency, t.face_value, t.face_value, 'unused',
         ${TEMPLATE_COPY_VALUES}
    FROM judged j CROSS JOIN t
   WHERE j.failure IS NULL
     AND NOT EXISTS (SELECT 1 FROM issuance_failures f WHERE f.tenant_id = $1 AND f.request_id = $2 AND f.account_id = j.account_id)
  ON CONFLICT (tenant_id, request_id, account_id) DO NOTHING
  RETURNING id, account_id, face_value
), led AS (
  ${ledgerRows({ type: 'issue', from: 'ins', tenant: '$1', coupon: 'id', account: 'account_id', amount: 'face_value', after: 'face_value' })}
), aud AS (
  INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_kind)
  SELECT $1, 'coupon', id, 'issued', NULL, 'unused', 'issuance request ' || $2, 'system' FROM ins
), bad AS (
  INSERT INTO issuance_failures (tenant_id, request_id, account_id, reason)
  SELECT $1, $2, j.account_id, j.failure FROM judged j
   WHERE j.failure IS NOT NULL
     AND NOT EXISTS (SELECT 1 FROM coupons c WHERE c.tenant_id = $1 AND c.request_id = $2 AND c.account_id = j.account_id)
  ON CONFLICT DO NOTHING
  RETURNING 1
), progress AS (
  UPDATE issuance_requests SET issued_count = issued_count + (SELECT count(*) FROM ins),
         failed_count = failed_count + (SELECT count(*) FROM bad), updated_at = now()
   WHERE tenant_id = $1 AND id = $2 AND EXISTS (SELECT 1 FROM ins UNION ALL SELECT 1 FROM bad)
)
SELECT (SELECT count(*) FROM picked)::int AS taken, (SELECT account_id FROM picked ORDER BY account_id DESC LIMIT 1) AS last,
       (SELECT count(*) FROM ins)::int AS issued, (SELECT count(*) FROM bad)::int AS failed`;
