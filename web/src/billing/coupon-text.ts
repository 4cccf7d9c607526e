// A coupon's terms (R14-R20), copied at issuance (R8), in words a finance person reads. Pure.
import { formatMoney } from '../money';
import { formatDateTime } from '../time';
import type { Coupon, CouponStatus, LedgerEntry, Scenario } from '../api-types';

const SCENARIO: Record<string, string> = {
  purchase: 'new purchases', renewal: 'renewals', upgrade: 'upgrades', os_change: 'OS changes', trial_conversion: 'trial conversions',
};
/** By scenario; indexed by string too, as an order's `scenario` is documented as any string. */
export const SCENARIO_LABEL: Readonly<Record<string, string>> = {
  purchase: 'New purchase', renewal: 'Renewal', upgrade: 'Upgrade', os_change: 'OS change', trial_conversion: 'Trial conversion',
} satisfies Record<Scenario, string>;
const MODE: Record<string, string> = { prepaid: 'prepaid orders', payg: 'pay-as-you-go bills' };
const ORIGIN: Record<string, string> = {
  issuance: 'Coupon', activation_code: 'Activated coupon', voucher: 'Shared voucher', compensation: 'Service compensation',
};

export const STATUS_LABEL: Record<CouponStatus, string> = {
  unused: 'Available', used: 'Used up', expired: 'Expired', pending_activation: 'Not activated', revoked: 'Revoked',
};
/** Every coupon status, in the order the wallet's filter lists them. */
export const COUPON_STATUSES = Object.keys(STATUS_LABEL) as CouponStatus[];
/** Every transaction type a checkout may be for. */
export const SCENARIOS = Object.keys(SCENARIO_LABEL) as Scenario[];

export const LEDGER_TYPE: Record<LedgerEntry['type'], string> = {
  issue: 'Issued', deduct: 'Deducted', return: 'Returned', reclaim: 'Reclaimed', expire: 'Expired', revoke: 'Revoked',
};

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** The coupon's name: its template's name as it was at issuance, else what kind of coupon it is. */
export function couponName(c: Pick<Coupon, 'rules' | 'origin'>): string {
  const name = c.rules?.templateName;
  return typeof name === 'string' && name.trim() ? name : (ORIGIN[c.origin] ?? 'Coupon');
}

/** The products a coupon covers, by name when the catalog knows them. */
export function productsText(codes: string[], names?: Map<string, string>): string {
  return codes.length ? list(codes.map((c) => names?.get(c) ?? c)) : 'General: all products except excluded and marketplace ones';
}

/** [label, value] rows of the coupon's rules, in the order a person reads them. */
export function couponRules(c: Coupon, names?: Map<string, string>): [string, string][] {
  const s = c.scope;
  const rows: [string, string][] = [
    ['Applies to', productsText(s.productCodes, names)],
    ['Pays', s.billingModes.length ? list(s.billingModes.map((m) => MODE[m] ?? m)) : 'nothing'],
  ];
  if (s.billingModes.includes('prepaid')) rows.push(['Prepaid orders for', s.scenarios.length ? list(s.scenarios.map((x) => SCENARIO[x] ?? x)) : 'none']);
  rows.push(['Minimum spend', s.minSpend ? `order total above ${formatMoney(s.minSpend, c.currency)}` : 'none']);
  rows.push(['Longest subscription', s.maxDurationMonths !== null ? `${s.maxDurationMonths} month${s.maxDurationMonths === 1 ? '' : 's'}` : 'no limit']);
  rows.push(['Promotional orders', s.allowPromotional ? 'allowed' : 'not covered']);
  rows.push(['Usage', c.usage === 'one_time' ? 'one time: used up by its first payment' : 'reusable until the balance is spent']);
  return rows;
}

/** "until 1 May 2026" or "expired 1 May 2026": the window's end is excluded (R34). */
export function validityText(c: Pick<Coupon, 'validFrom' | 'validUntil' | 'status'>, now = Date.now()): string {
  const until = Date.parse(c.validUntil);
  const from = Date.parse(c.validFrom);
  if (until <= now) return `Ended ${formatDateTime(c.validUntil)}`;
  if (from > now) return `From ${formatDateTime(c.validFrom)} until ${formatDateTime(c.validUntil)}`;
  return `Until ${formatDateTime(c.validUntil)}`;
}
