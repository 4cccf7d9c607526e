import { TEMPLATE_COPY_COLUMNS, TEMPLATE_COPY_VALUES } from './template-copy.sql';

/**
 * R31: the coupons of an approved offline request, as one statement: for each (id, code hash)
 * given, a coupon with a copy of the template's rules (R8), origin `activation_code`, status
 * `pending_activation`, no account and balance 0; its code row (the hash only); its audit row
 * (R11). No ledger row yet: the money becomes an account's when a code is activated, with the
 * `issue` row naming it, so balance = sum of ledger holds at every moment (R26). A relative
 * validity counts from generation, the coupon's issuance: a batch has a definite end.
 */
export const GENERATE_CODES_SQL = `
WITH t AS (
  SELECT ct.* FROM issuance_requests r
    JOIN coupon_templates ct ON ct.tenant_id = r.tenant_id AND ct.id = r.template_id
   WHERE r.tenant_id = $1 AND r.id = $2 AND r.status = 'approved' AND r.kind = 'activation_codes'
), x AS (
  SELECT * FROM unnest($3::uuid[], $4::bytea[]) AS x(id, hash)
), ins AS (
  INSERT INTO coupons (tenant_id, id, account_id, partner_id, template_id, request_id, origin, currency, face_value, balance, status,
                       ${TEMPLATE_COPY_COLUMNS})
  SELECT $1, x.id, NULL, t.partner_id, t.id, $2, 'activation_code', t.currency, t.face_value, 0, 'pending_activation',
         ${TEMPLATE_COPY_VALUES}
    FROM x CROSS JOIN t
  RETURNING id, valid_until
), codes AS (
  INSERT INTO activation_codes (tenant_id, coupon_id, request_id, code_hash)
  SELECT $1, x.id, $2, x.hash FROM x JOIN ins ON ins.id = x.id
), aud AS (
  INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_user_id, actor_kind)
  SELECT $1, 'coupon', id, 'issued', NULL, 'pending_activation', 'activation code of issuance request ' || $2, $5, 'user' FROM ins
)
SELECT count(*)::int AS n, min(valid_until) AS valid_until FROM ins`;
