import type { Redis } from 'ioredis';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../../config';
import { AppError } from '../../shared/errors';
import { addressKey } from '../client-address';
import { logger } from '../../logger';

/** One password check under way: settle it as a success or leave it counted as a failure. */
export interface SignInAttempt {
  succeeded(): Promise<void>;
}

export interface SignInLimits {
  take(email: string, address: string | undefined): Promise<SignInAttempt>;
  /** Forgets the failures of an email at an address, or all of an address (support, and tests). */
  resetEmail(email: string, address: string | undefined): Promise<void>;
  resetAddress(address: string | undefined): Promise<void>;
}

/**
 * Failed password checks are limited per (email, client address) and per client address, in Redis
 * like the activation codes' guesses (src/issuance/attempt-limits.ts). Every attempt takes a point
 * from both before the password is checked, so parallel requests cannot slip extra guesses past
 * the limit; a success gives the address its point back and clears the email's count. Over either
 * limit every attempt is 429 until the window ends, even with the right password, and the
 * database is not touched.
 */
export function signInLimits(redis: Redis, cfg = config()): SignInLimits {
  const perEmail = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'signin-fails:email', points: cfg.SIGNIN_FAILS_PER_EMAIL, duration: cfg.SIGNIN_EMAIL_WINDOW_SECONDS });
  const perAddress = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'signin-fails:address', points: cfg.SIGNIN_FAILS_PER_ADDRESS, duration: cfg.SIGNIN_ADDRESS_WINDOW_SECONDS });
  const emailKey = (email: string, address: string | undefined) => `${email.trim().toLowerCase()}|${addressKey(address)}`;

  const consume = async (limiter: RateLimiterRedis, key: string) => {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        const e = new AppError('too_many_attempts', `too many failed sign-ins; try again in ${retryAfter} s`, { retryAfterSeconds: retryAfter });
        e.headers = { 'Retry-After': String(retryAfter) };
        throw e;
      }
      // Fail closed: without the counts, no password is checked.
      logger.error({ err }, 'sign-in attempt limits unavailable');
      throw new AppError('retry_later', 'signing in is unavailable for a moment; retry it');
    }
  };
  const quietly = async (what: string, work: () => Promise<unknown>) => {
    try {
      await work();
    } catch (err) {
      logger.warn({ err }, `a sign-in attempt could not be ${what}`);
    }
  };

  return {
    async take(email, address) {
      const byEmail = emailKey(email, address);
      const byAddress = addressKey(address);
      await consume(perEmail, byEmail);
      try {
        await consume(perAddress, byAddress);
      } catch (err) {
        await quietly('given back', () => perEmail.reward(byEmail));
        throw err;
      }
      return {
        succeeded: async () => {
          await Promise.all([quietly('cleared', () => perEmail.delete(byEmail)), quietly('given back', () => perAddress.reward(byAddress))]);
        },
      };
    },
    async resetEmail(email, address) {
      await perEmail.delete(emailKey(email, address));
    },
    async resetAddress(address) {
      await perAddress.delete(addressKey(address));
    },
  };
}
