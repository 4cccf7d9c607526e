// Words for the settlement pages (R37-R39), in one place (pure).
import type { SettlementLine } from '../api-types';
import { formatMonth } from '../months';

export const UTC_MONTHS = 'Months are calendar months in UTC.';

/** What the settlement is, for a distributor (its resellers pass their coupons' cost up to it) or a reseller. */
export function settlementIntro(distributor: boolean): string {
  return distributor
    ? `What your coupons cost you each month: what your partner-borne coupons paid, net of refunds, plus what your resellers' partner-borne coupons pass up to you; you owe it to the vendor. Vendor-borne coupons are the vendor's cost and are shown apart. ${UTC_MONTHS}`
    : `What your coupons cost you each month: what your partner-borne coupons paid, net of refunds; you owe it to your distributor. Vendor-borne coupons are the vendor's cost and are shown apart. ${UTC_MONTHS}`;
}

/** "the vendor" (a distributor's settlement) or "your distributor" (a reseller's). */
export const owedToText = (to: 'vendor' | 'distributor') => (to === 'vendor' ? 'the vendor' : 'your distributor');

export const BEARER_WORDS: Record<'partner' | 'vendor', string> = { partner: 'Partner-borne', vendor: 'Vendor-borne' };

/** A line's month: this month's deductions, or a refund giving back an earlier month's. */
export const appliesTo = (l: Pick<SettlementLine, 'adjusts'>) => (l.adjusts ? `Adjusts ${formatMonth(l.adjusts)}` : 'This month');

/** What the API's 403 means on these pages (R37, R39), for the person it refused. */
export const SETTLEMENT_READERS = "Settlements are read by your partner's admins and viewers; ask one of them.";
export const RESELLER_READERS = "Only a distributor's admins and viewers see its resellers here.";
