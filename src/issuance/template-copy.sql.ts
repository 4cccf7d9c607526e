/**
 * R8: what a coupon copies from its template at issuance, as SQL over a row `t` of
 * coupon_templates: the columns of `coupons` it fills and, in the same order, their values. A
 * relative validity counts from now, the coupon's issuance. Shared by issuing to accounts and by
 * generating activation codes, so both copy the rules the same way.
 */
export const TEMPLATE_COPY_COLUMNS = `cost_bearer, usage, valid_from, valid_until, product_codes, billing_modes, scenarios, min_spend,
                       max_duration_months, allow_promotional, rules`;

export const TEMPLATE_COPY_VALUES = `t.cost_bearer, t.usage,
         coalesce(t.valid_from, date_trunc('milliseconds', now())),
         coalesce(t.valid_until, date_trunc('milliseconds', now()) + make_interval(hours => 24 * t.valid_days)),
         t.product_codes, t.billing_modes, t.scenarios, t.min_spend, t.max_duration_months, t.allow_promotional,
         jsonb_build_object('templateName', t.name, 'description', t.description, 'issueLimit', t.issue_limit,
                            'validity', jsonb_build_object('kind', t.validity_kind, 'days', t.valid_days))`;
