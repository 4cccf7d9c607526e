// Money in the browser, as on the server: an integer count of the currency's minor unit, carried as
// a decimal string ("1999" USD = $19.99; see src/http/money-schema.ts), never a float. This module
// has no DOM or React dependency, so the mocha suite tests it directly (test/web/money.test.ts).

const MINOR_UNITS = /^-?(0|[1-9]\d*)$/;
const CURRENCY = /^[A-Z]{3}$/;

/** How many fraction digits the currency's minor unit has (USD 2, JPY 0, BHD 3), as Intl knows it. */
export function fractionDigits(currency: string): number {
  if (!CURRENCY.test(currency)) throw new RangeError(`not a currency code: ${currency}`);
  return new Intl.NumberFormat('en', { style: 'currency', currency }).resolvedOptions().maximumFractionDigits ?? 2;
}

/** "12345" minor units of a 2-digit currency -> "123.45"; exact (BigInt division and modulo). */
export function minorToDecimal(minor: string, currency: string): string {
  if (!MINOR_UNITS.test(minor)) throw new RangeError(`not an integer count of minor units: ${minor}`);
  const digits = fractionDigits(currency);
  const value = BigInt(minor);
  const negative = value < 0n;
  const abs = negative ? -value : value;
  const scale = 10n ** BigInt(digits);
  const whole = (abs / scale).toString();
  const fraction = (abs % scale).toString().padStart(digits, '0');
  return `${negative ? '-' : ''}${whole}${digits > 0 ? `.${fraction}` : ''}`;
}

const formatters = new Map<string, Intl.NumberFormat>();

/**
 * "12345", "USD" -> "$123.45". Intl.NumberFormat formats an exact decimal string (no float on the
 * way), with every fraction digit of the currency.
 */
export function formatMoney(minor: string, currency: string, locale = 'en-US'): string {
  const key = `${locale}|${currency}`;
  let f = formatters.get(key);
  if (!f) {
    const digits = fractionDigits(currency);
    f = new Intl.NumberFormat(locale, { style: 'currency', currency, minimumFractionDigits: digits, maximumFractionDigits: digits });
    formatters.set(key, f);
  }
  return f.format(minorToDecimal(minor, currency) as Intl.StringNumericLiteral);
}

/** A money input a person typed that is not an amount; `message` says why, in words. */
export class MoneyInputError extends Error {
  override readonly name = 'MoneyInputError';
}

/** The largest amount the API takes: 18 digits of minor units (src/http/money-schema.ts). */
const MAX_MINOR_DIGITS = 18;

/**
 * What a person typed ("100.01", "1,250.5", " 7 ") -> minor units as a string ("10001", "125050",
 * "700"), by string manipulation only. Refuses (MoneyInputError) negative amounts, more fraction
 * digits than the currency has, anything but digits, one dot and thousands commas, and amounts
 * too large for the API.
 */
export function parseMoneyInput(input: string, currency: string): string {
  const digits = fractionDigits(currency);
  const text = input.trim();
  if (text === '') throw new MoneyInputError('Enter an amount');
  if (text.startsWith('-')) throw new MoneyInputError('The amount cannot be negative');
  const m = /^(\d{1,3}(?:,\d{3})+|\d+)?(?:\.(\d*))?$/.exec(text);
  if (!m || (m[1] === undefined && !m[2])) throw new MoneyInputError('Enter an amount such as 100 or 100.50');
  const whole = (m[1] ?? '0').replaceAll(',', '');
  const fraction = m[2] ?? '';
  if (fraction.length > digits) {
    throw new MoneyInputError(digits === 0 ? `${currency} amounts have no decimals` : `Use at most ${digits} decimal${digits === 1 ? '' : 's'} for ${currency}`);
  }
  const minor = (whole + fraction.padEnd(digits, '0')).replace(/^0+(?=\d)/, '');
  if (minor.length > MAX_MINOR_DIGITS) throw new MoneyInputError('The amount is too large');
  return minor;
}

/** The exact sum of amounts in minor units (BigInt), as a minor-unit string; "0" for none. */
export function sumMinor(amounts: Iterable<string>): string {
  let total = 0n;
  for (const a of amounts) total += BigInt(a);
  return total.toString();
}
