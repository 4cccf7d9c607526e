import { randomInt } from 'node:crypto';

/**
 * How much to fuzz. In the suite (CI): a fixed seed and 25 runs per operation (about 20 s).
 * `npm run fuzz` sets FUZZ_LONG=1: many runs and a random seed, printed; a failure prints its own
 * seed and the command that reproduces it.
 *
 *   FUZZ_SEED    the seed (operation i uses seed + i)
 *   FUZZ_RUNS    runs per operation (suite: 25; npm run fuzz: 200)
 *   FUZZ_ONLY    comma-separated parts of operation names ("POST /v1/orders,ledger"): only those
 *   FUZZ_ALL=1   keep going after a failure and list every distinct one (no shrinking)
 */
export interface FuzzSettings {
  seed: number;
  runs: number;
  only: string[] | undefined;
  collect: boolean;
  shrinkFirst: number;
  timeoutMs: number;
  announce: boolean;
}

const CI_SEED = 20260501;

export function fuzzSettings(env: NodeJS.ProcessEnv = process.env): FuzzSettings {
  const long = env.FUZZ_LONG === '1';
  const seed = env.FUZZ_SEED ? Number(env.FUZZ_SEED) : long ? randomInt(2 ** 31) : CI_SEED;
  const runs = env.FUZZ_RUNS ? Number(env.FUZZ_RUNS) : long ? 200 : 25;
  if (!Number.isSafeInteger(seed) || !Number.isSafeInteger(runs) || runs < 1) throw new Error('FUZZ_SEED and FUZZ_RUNS must be integers');
  return {
    seed,
    runs,
    only: env.FUZZ_ONLY ? env.FUZZ_ONLY.split(',').map((s) => s.trim()) : undefined,
    collect: env.FUZZ_ALL === '1',
    shrinkFirst: long ? 10 : 3,
    timeoutMs: long || env.FUZZ_RUNS ? 0 : 120_000,
    announce: long || !!env.FUZZ_SEED || !!env.FUZZ_RUNS,
  };
}
