/**
 * Every error code the API answers, with its HTTP status and what it means (one sentence). An
 * AppError is made from a code of this list, and takes its status from it; the OpenAPI document
 * lists, for each status a route declares, the codes it can carry. Codes are stable: clients key
 * on them; messages are for people and may change.
 */
export const ERROR_CODES = {
  // 400: the request itself is malformed
  validation_failed: [400, 'A body, query or path parameter is invalid; details name each field.'],
  invalid_json: [400, 'The body is not valid JSON.'],
  invalid_value: [400, 'A value is out of range or malformed (refused by the database as a last line).'],
  bad_request: [400, 'The request could not be read.'],
  // 401, 403: who you are and what you may do
  unauthenticated: [401, 'No valid token or session: missing, malformed, unknown, expired or revoked.'],
  invalid_credentials: [401, 'Email and password do not match an active user.'],
  forbidden: [403, 'Your role may not do this; the message says why (R3, R6).'],
  csrf_failed: [403, 'A cookie-signed write lacks the right X-CSRF-Token.'],
  current_password_incorrect: [403, 'The current password given is wrong.'],
  // 404
  not_found: [404, 'No such object, or not yours: the two read the same (R1).'],
  code_not_found: [404, "No such activation code for the account's partner (counts as a wrong guess, R31)."],
  // 409: the current state refuses it
  already_exists: [409, 'An object with the same unique key exists.'],
  already_archived: [409, 'The template is already archived.'],
  already_deactivated: [409, 'The partner, account or user is already deactivated.'],
  already_revoked: [409, 'The token is already revoked.'],
  already_settled: [409, 'The bill is already settled.'],
  already_claimed: [409, 'This account has claimed compensation for this fault already (R33).'],
  account_deactivated: [409, 'An account named is deactivated; details list them.'],
  user_deactivated: [409, 'The user is deactivated.'],
  self_change_refused: [409, 'You cannot change your own role or deactivate yourself.'],
  concurrent_change: [409, 'The object changed meanwhile; try again.'],
  invalid_transition: [409, "The request's state does not allow this move; details name the moves allowed (R9)."],
  approval_window_passed: [409, "The request's approval window has passed (R9)."],
  template_archived: [409, 'The template is archived: it issues no more.'],
  template_locked: [409, 'The template has been issued: only name and description can change (R8).'],
  template_cap_reached: [409, "The template's total cap does not allow this many coupons (R4)."],
  validity_ended: [409, "The template's validity window has ended."],
  issue_limit_reached: [409, 'A once-per-account template already reached these accounts; details list them (R7).'],
  budget_exceeded: [409, "The request would pass the budget it draws on; details give what is available (R5, R36)."],
  budget_period_overlaps: [409, 'The partner has a budget of this kind and currency for an overlapping period (R36).'],
  quota_exhausted: [409, 'The voucher pool has less left than this face value (R32).'],
  nothing_to_reclaim: [409, 'The voucher has nothing left to reclaim (R32).'],
  coupon_not_voidable: [409, 'Only an unused or pending_activation coupon can be voided; a used or expired one stays as it is; details give the statuses (R35).'],
  request_not_issued: [409, "The request's coupons are not all issued yet: void them once it is issued, or cancel it before its decision (R35)."],
  coupon_not_applicable: [409, 'The coupon named does not apply to this order; details give why (R15-R21).'],
  idempotency_key_reused: [409, 'This Idempotency-Key was used with another request.'],
  not_refundable: [409, 'The order cannot be refunded; the message says why (R27-R30).'],
  not_a_code_request: [409, 'The request names accounts: its coupons are issued by the workers, not as codes (R31).'],
  codes_already_generated: [409, "The request's codes were generated and shown once; they are not stored (R31)."],
  code_already_used: [409, 'The activation code has been used (R31).'],
  batch_already_activated: [409, 'This account has activated a code of this batch already (R31).'],
  overlapping_period: [409, "The billing period overlaps another cycle's (R23)."],
  period_already_billed: [409, 'A record falls in a period whose billing cycle has started (R23).'],
  month_not_over: [409, 'The month has not ended, or its grace period after the end has not passed: it cannot close yet (R37).'],
  month_still_written: [409, 'A transaction that began before the month ended is still running; the month closes once it is over (R37).'],
  // 410
  code_expired: [410, 'The activation code has expired (R31).'],
  code_revoked: [410, 'The activation code was revoked (R31).'],
  // 413, 415, 431: the envelope
  payload_too_large: [413, 'The body is larger than 2 MB.'],
  unsupported_media_type: [415, 'A body must be sent as application/json.'],
  headers_too_large: [431, 'The request line and headers are too large.'],
  // 422: it refers to something unusable
  unknown_accounts: [422, 'Some accounts named are not yours or do not exist; details list them.'],
  unknown_product: [422, 'Some product codes are not in the catalog; details list them.'],
  unknown_reference: [422, 'The request refers to something that does not exist.'],
  rule_violated: [422, 'The change would break a rule of the data (a check constraint).'],
  field_required: [422, 'A field this actor must give is missing; details name it.'],
  role_scope: [422, 'The role does not fit the partner or account given.'],
  role_family: [422, 'A role changes only within its family (vendor, partner, account).'],
  tier_rule: [422, 'The partner tiers do not allow this (resellers sit under a tier-1 partner; only tier 1 has a BD).'],
  not_an_active_bd: [422, 'The user named is not an active BD.'],
  partner_inactive: [422, 'The partner is deactivated.'],
  budget_below_used: [422, 'A budget cannot be lower than what is already reserved, committed or allocated (R5, R36).'],
  allocation_exceeded: [422, "The distributor has less partner-borne budget left than the allocation needs (R36)."],
  no_budget_to_allocate: [422, 'The distributor has no partner-borne budget in that currency and period to allocate from (R36).'],
  invalid_window: [422, 'The validity window is empty or already over.'],
  voucher_outlives_pool: [422, 'A voucher cannot outlive its pool (R32).'],
  pool_expired: [422, 'The pool (or the voucher window asked for) has ended (R32).'],
  usage_total_too_large: [422, "A batch would take an account's daily usage of a product past what a bill holds (R23)."],
  code_mistyped: [422, "The activation code's check digit is wrong (R31)."],
  current_password_required: [422, 'Changing a password needs the current one.'],
  // 429, 500, 503
  too_many_attempts: [429, 'Too many failed attempts; see Retry-After.'],
  internal: [500, 'Something failed on our side; the request id is in the logs.'],
  retry_later: [503, 'The request collided with another, or a dependency is unavailable; retry it.'],
} as const satisfies Record<string, readonly [number, string]>;

export type ErrorCode = keyof typeof ERROR_CODES;

export const statusOf = (code: ErrorCode): number => ERROR_CODES[code][0];

/** The codes a status can carry, in the list's order. */
export const codesWithStatus = (status: number): ErrorCode[] =>
  (Object.keys(ERROR_CODES) as ErrorCode[]).filter((c) => ERROR_CODES[c][0] === status);
