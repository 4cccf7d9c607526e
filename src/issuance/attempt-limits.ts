import type { Redis } from 'ioredis';
import { addressKey } from '../auth/client-address';
import { RateLimiterRedis, RateLimiterRes } from 'rate-limiter-flexible';
import { config } from '../config';
import { AppError } from '../shared/errors';
import { logger } from '../logger';

/** One attempt under way: give it back unless it turned out a wrong guess. */
export interface Attempt {
  giveBack(): Promise<void>;
}

export interface AttemptLimits {
  take(accountId: string, address: string | undefined): Promise<Attempt>;
  /** Forgets the counts of an account and/or an address (support, and tests). */
  reset(keys: { accountId?: string; address?: string }): Promise<void>;
}

/**
 * R31: wrong activation guesses are limited per account and per client address, in Redis (a
 * refused request writes nothing to the database). Every attempt takes a point from both before
 * the code is looked up, and gives it back unless the code was not found: so parallel requests
 * cannot slip extra guesses past the limit, and a correct, used or expired code costs nothing.
 * Over either limit, every attempt is 429 until the window ends, even with a correct code.
 */
export function attemptLimits(redis: Redis, cfg = config()): AttemptLimits {
  const duration = cfg.ACTIVATION_FAIL_WINDOW_SECONDS;
  const perAccount = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'activation-fails:account', points: cfg.ACTIVATION_FAILS_PER_ACCOUNT, duration });
  const perAddress = new RateLimiterRedis({ storeClient: redis, keyPrefix: 'activation-fails:address', points: cfg.ACTIVATION_FAILS_PER_ADDRESS, duration });

  const consume = async (limiter: RateLimiterRedis, key: string, scope: 'account' | 'address') => {
    try {
      await limiter.consume(key);
    } catch (err) {
      if (err instanceof RateLimiterRes) {
        const retryAfter = Math.max(1, Math.ceil(err.msBeforeNext / 1000));
        const e = new AppError('too_many_attempts', `too many wrong activation codes from this ${scope}; try again in ${retryAfter} s`, { scope, retryAfterSeconds: retryAfter });
        e.headers = { 'Retry-After': String(retryAfter) };
        throw e;
      }
      // Fail closed: without the counts, no guess is allowed.
      logger.error({ err }, 'activation attempt limits unavailable');
      throw new AppError('retry_later', 'activation is unavailable for a moment; retry it');
    }
  };
  const giveBack = async (limiter: RateLimiterRedis, key: string) => {
    try {
      await limiter.reward(key);
    } catch (err) {
      logger.warn({ err }, 'an activation attempt could not be given back');
    }
  };

  return {
    async take(accountId, address) {
      const addr = addressKey(address);
      await consume(perAccount, accountId, 'account');
      try {
        await consume(perAddress, addr, 'address');
      } catch (err) {
        await giveBack(perAccount, accountId);
        throw err;
      }
      return { giveBack: async () => void (await Promise.all([giveBack(perAccount, accountId), giveBack(perAddress, addr)])) };
    },
    async reset({ accountId, address }) {
      if (accountId) await perAccount.delete(accountId);
      if (address) await perAddress.delete(addressKey(address));
    },
  };
}

