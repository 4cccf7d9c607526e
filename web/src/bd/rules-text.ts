// A template's rules (R4, R15-R19) in words, for the BD's detail pane. Pure functions.
import type { Template } from '../api-types';
import { formatMoney } from '../money';
import { formatDateTime } from '../time';

const SCENARIO: Record<string, string> = {
  purchase: 'new purchases', renewal: 'renewals', upgrade: 'upgrades', os_change: 'OS changes', trial_conversion: 'trial conversions',
};
const MODE: Record<string, string> = { prepaid: 'prepaid', payg: 'pay-as-you-go' };

const list = (xs: string[]) => (xs.length <= 1 ? xs.join('') : `${xs.slice(0, -1).join(', ')} and ${xs[xs.length - 1]}`);

/** [label, value] rows, in the order a person reads a coupon's terms. */
export function templateRules(t: Template): [string, string][] {
  const rows: [string, string][] = [
    ['Face value', formatMoney(t.faceValue, t.currency)],
    ['Cost borne by', t.costBearer === 'vendor' ? 'the vendor (needs your approval)' : 'the partner'],
    ['Usage', t.usage === 'one_time' ? 'one time: used up by its first payment' : 'reusable until the balance is spent'],
    ['Issue limit', t.issueLimit === 'once' ? 'once per account, ever' : 'no limit per account'],
    ['Validity', t.validity.kind === 'relative' ? `${t.validity.days} days from issuance` : `${formatDateTime(t.validity.from)} to ${formatDateTime(t.validity.until)}`],
    ['Products', t.productCodes.length ? list(t.productCodes) : 'all products (general coupon)'],
    ['Billing', list(t.billingModes.map((m) => MODE[m] ?? m))],
  ];
  if (t.billingModes.includes('prepaid')) rows.push(['Prepaid scenarios', t.scenarios.length ? list(t.scenarios.map((s) => SCENARIO[s] ?? s)) : 'none']);
  rows.push(['Minimum spend', t.minSpend ? `more than ${formatMoney(t.minSpend, t.currency)}` : 'none']);
  if (t.maxDurationMonths !== null) rows.push(['Longest subscription', `${t.maxDurationMonths} month${t.maxDurationMonths === 1 ? '' : 's'}`]);
  rows.push(['Promotional orders', t.allowPromotional ? 'allowed' : 'not allowed']);
  if (t.cap) {
    const caps = [t.cap.count !== null ? `${t.cap.count} coupons` : null, t.cap.amount !== null ? formatMoney(t.cap.amount, t.currency) : null].filter(Boolean);
    rows.push(['Template cap', caps.join(' or ')]);
  }
  return rows;
}
