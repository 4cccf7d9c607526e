import fc from 'fast-check';
import { harness } from '../harness';
import { tablesWrittenBy } from '../db-fingerprint';
import { signInLimits } from '../../../src/auth/sessions/sign-in-limits';
import { describeExchange, problemsOf, send, type Answer } from './exchange';
import type { ActorName, FuzzRequest } from './request';

export interface Finding {
  op: string;
  problems: string[];
  status: number | undefined;
  message: string;
}

export interface CheckOptions {
  seed: number;
  runs: number;
  /** Shrink a counterexample to a smaller one (costs requests); off: report the first one found. */
  shrink: boolean;
  /** Record every failing request here and keep going, instead of stopping at the first. */
  collect?: Finding[];
}

const NO_ANSWER_MS = 15_000;

/**
 * Sends fuzzed requests one at a time over real HTTP and judges each answer: no 5xx, the one error
 * shape on every non-2xx, no body accepted unless sent as JSON, and, for a refusal (4xx), the
 * database unchanged (`tablesWrittenBy`: a snapshot from before the request, read only when some
 * transaction that wrote ended meanwhile).
 */
export class Fuzzer {
  readonly statuses = new Map<string, Map<number, number>>();

  constructor(private readonly tokens: Record<ActorName, string | undefined>) {}

  /** The failure message for this request, or undefined when its answer is as it must be. */
  async exchange(req: FuzzRequest): Promise<Finding | undefined> {
    if (req.op === 'POST /v1/session') await this.clearSignInFailures(req);
    const token = this.tokens[req.actor];
    let sent: Record<string, string> = req.headers;
    let answer: Answer | undefined;
    const problems: string[] = [];
    const { written } = await tablesWrittenBy(harness.ds, async () => {
      try {
        ({ sent, answer } = await send(req, token, NO_ANSWER_MS));
        problems.push(...problemsOf(req, answer));
      } catch (err) {
        problems.push(`no answer: ${(err as Error).message}`);
      }
    });
    const status = answer?.status;
    if (status !== undefined) {
      const counts = this.statuses.get(req.op) ?? new Map<number, number>();
      counts.set(status, (counts.get(status) ?? 0) + 1);
      this.statuses.set(req.op, counts);
    }
    if (status !== undefined && status >= 400 && status < 500 && written.length) {
      problems.push(`refused with ${status} but wrote to ${written.join(', ')}`);
    }
    if (!problems.length) return undefined;
    return { op: req.op, problems, status, message: describeExchange(req, sent, answer, problems) };
  }

  /** fast-check over one operation's requests: the failure report, or undefined when every run passed. */
  async check(op: string, requests: fc.Arbitrary<FuzzRequest>, opts: CheckOptions): Promise<string | undefined> {
    const property = fc.asyncProperty(requests, async (req) => {
      const finding = await this.exchange(req);
      if (!finding) return;
      if (opts.collect) opts.collect.push(finding);
      else throw new FuzzFailure(finding.message);
    });
    const result = await fc.check(property, { seed: opts.seed, numRuns: opts.runs, endOnFailure: !opts.shrink });
    if (!result.failed) return undefined;
    const why = result.errorInstance instanceof FuzzFailure ? result.errorInstance.message : String(result.errorInstance);
    return `${why}\n  (fast-check: seed ${result.seed}, path "${result.counterexamplePath}", run ${result.numRuns}, ${result.numShrinks} shrinks)`;
  }

  /** Sign-in attempts are rate limited per address and per e-mail: forget them before each one. */
  private async clearSignInFailures(req: FuzzRequest): Promise<void> {
    const limits = signInLimits(harness.redis);
    await limits.resetAddress('127.0.0.1');
    let email: unknown;
    try {
      email = (JSON.parse(req.body ?? 'null') as { email?: unknown } | null)?.email;
    } catch {
      email = undefined;
    }
    if (typeof email === 'string') await limits.resetEmail(email, '127.0.0.1');
  }
}

class FuzzFailure extends Error {}
