import type { ValueTransformer } from 'typeorm';

/**
 * The one place where PostgreSQL int8 meets JavaScript. pg returns int8 (and count(*)) as strings;
 * they become bigint here, exactly, and never pass through a float. Money is an integer count of
 * the currency's minor unit plus an ISO 4217 code.
 */
export function toBigInt(value: string | number | bigint): bigint {
  if (typeof value === 'bigint') return value;
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value)) throw new RangeError(`not a safe integer: ${value}`);
    return BigInt(value);
  }
  if (!/^-?\d+$/.test(value)) throw new RangeError(`not an integer: ${value}`);
  return BigInt(value);
}

/** The largest PostgreSQL bigint: no sum of money or id may pass it. */
export const INT8_MAX = 9223372036854775807n;

export const int8: ValueTransformer = {
  to: (v: bigint | null | undefined) => (v === null || v === undefined ? v : v.toString()),
  from: (v: string | null) => (v === null ? null : toBigInt(v)),
};

export interface Money {
  readonly amount: bigint; // minor units
  readonly currency: string; // ISO 4217
}

/** JSON has no bigint: amounts travel as decimal strings of minor units. */
export function moneyToJson(m: Money): { amount: string; currency: string } {
  return { amount: m.amount.toString(), currency: m.currency };
}
