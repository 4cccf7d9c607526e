import { z } from './zod';

// JSON has no bigint: amounts travel as decimal strings of integer minor units ("1999" = 19.99).
/** The largest amount the API takes, and the largest a sum of them (an order's total) may reach. */
export const MAX_MINOR_UNITS = 999_999_999_999_999_999n;
export const MinorUnits = z
  .string()
  .regex(/^(0|[1-9]\d{0,17})$/, 'an integer count of minor units, as a string')
  .transform((s) => BigInt(s))
  .openapi({ type: 'string', example: '5000', description: 'Integer minor units (cents), as a string' });
export const PositiveMinorUnits = MinorUnits.refine((v) => v > 0n, 'must be greater than 0');

const CURRENCIES = new Set(Intl.supportedValuesOf('currency'));
export const Currency = z
  .string()
  .regex(/^[A-Z]{3}$/, 'a three-letter ISO 4217 code')
  .refine((c) => CURRENCIES.has(c), 'not an ISO 4217 currency')
  .openapi({ example: 'USD' });
