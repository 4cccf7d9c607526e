// Words for the portal's codes, and small helpers shared by its pages (pure).
import { ApiError } from '../api';
import type { Template } from '../api-types';

export const COST_BEARER: Record<'vendor' | 'partner', string> = {
  vendor: 'Vendor-borne (needs your BD\'s approval)',
  partner: 'Partner-borne (issued right away)',
};
export const SHORT_BEARER: Record<'vendor' | 'partner', string> = { vendor: 'Vendor', partner: 'Partner' };
export const USAGE: Record<'one_time' | 'reusable', string> = { one_time: 'One-time', reusable: 'Reusable' };

export function validityText(v: Template['validity']): string {
  return v.kind === 'relative' ? `${v.days} days from issuance` : `${v.from.slice(0, 10)} to ${v.until.slice(0, 10)}`;
}

/**
 * The API's 400 details by field, without the location prefix: "body.faceValue" -> "faceValue",
 * "body.validity.until" -> "validity.until". The form shows each under its own field.
 */
export function apiFieldErrors(error: unknown): Record<string, string> {
  const out: Record<string, string> = {};
  if (!(error instanceof ApiError)) return out;
  for (const d of error.details) {
    const key = d.field.replace(/^body\./, '');
    out[key] ??= d.message;
  }
  return out;
}

/** face value x count, exactly (BigInt), as a minor-unit string. */
export function totalFaceValue(faceValue: string, count: number): string {
  return (BigInt(faceValue) * BigInt(count)).toString();
}

/** 'YYYY-MM' of the UTC month `back` months before `now`. */
export function monthOf(back: number, now = new Date()): string {
  return new Date(Date.UTC(now.getUTCFullYear(), now.getUTCMonth() - back, 1)).toISOString().slice(0, 7);
}
