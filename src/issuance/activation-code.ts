import { createHmac, randomInt } from 'node:crypto';

/**
 * R31: an activation code is 16 digits: 15 from the CSPRNG (10^15 possibilities, about 50 bits)
 * and a Luhn check digit, so a mistyped digit or two swapped neighbours are caught before any
 * lookup. Only a keyed hash is stored: a copy of the table does not give the codes away, and
 * without the key the hashes cannot be brute-forced offline over the small code space.
 */
export const CODE_DIGITS = 16;

/** The Luhn check digit for a string of digits (the digit that would be appended to it). */
export function luhnCheckDigit(payload: string): string {
  let sum = 0;
  for (let i = 0; i < payload.length; i++) {
    // Counting from the right of the payload, every first, third... digit is doubled.
    let d = payload.charCodeAt(payload.length - 1 - i) - 48;
    if (i % 2 === 0) {
      d *= 2;
      if (d > 9) d -= 9;
    }
    sum += d;
  }
  return String((10 - (sum % 10)) % 10);
}

/** True when the last digit of a normalized code is its Luhn check digit. */
export function hasValidCheckDigit(code: string): boolean {
  return /^\d+$/.test(code) && code.length >= 2 && luhnCheckDigit(code.slice(0, -1)) === code.slice(-1);
}

/** A new random code: 15 random digits (crypto.randomInt, 5 at a time: its range is below 2^48) + check digit. */
export function newActivationCode(): string {
  let payload = '';
  while (payload.length < CODE_DIGITS - 1) payload += String(randomInt(0, 100_000)).padStart(5, '0');
  return payload + luhnCheckDigit(payload);
}

/** Spaces and dashes are for people; the code itself is the digits. */
export function normalizeCode(input: string): string {
  return input.replace(/[\s-]/g, '');
}

/** 1234-5678-9012-3456: readable, and a spreadsheet does not turn it into a rounded number. */
export function formatCode(code: string): string {
  return code.replace(/(\d{4})(?=\d)/g, '$1-');
}

/** The only form in which a code is stored: HMAC-SHA256 under the platform's secret. */
export function hashCode(code: string, secret: string): Buffer {
  return createHmac('sha256', secret).update(code).digest();
}
