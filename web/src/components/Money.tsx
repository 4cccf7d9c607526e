import { formatMoney } from '../money';

/** An amount of integer minor units in its currency ("5000" USD -> $50.00), exact, never a float. */
export function Money({ minor, currency }: { minor: string; currency: string }) {
  return <span className="money">{formatMoney(minor, currency)}</span>;
}
