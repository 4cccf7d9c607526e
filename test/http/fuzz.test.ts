import { expect } from 'chai';
import { harness } from '../support/harness';
import { buildWorld, type World } from '../support/world';
import { ensureProducts } from '../support/coupons-world';
import { addCodeFixtures } from '../support/codes-world';
import { addVoucherFixtures } from '../support/vouchers-world';
import { givePassword } from '../support/sessions';
import { operations, opName, type OpenApiDoc, type Operation } from '../support/fuzz/openapi';
import { requestFor } from '../support/fuzz/request';
import { worldPools } from '../support/fuzz/world-pools';
import { Fuzzer, type Finding } from '../support/fuzz/fuzzer';
import { fuzzSettings } from '../support/fuzz/settings';

/**
 * Schema-driven fuzz of every operation in the server's own /openapi.json, over real HTTP with the
 * real tokens of a platform admin, a partner admin and an account finance user: wrong types,
 * boundary numbers, NUL and odd Unicode, malformed percent-escapes in path ids, year 0000 and 9999
 * instants and forged cursors, huge arrays, deep nesting, unknown fields, wrong content types.
 * In CI a fixed seed and a few runs per operation; `npm run fuzz` runs many more (see settings.ts).
 */
describe('fuzz: every operation of /openapi.json with hostile input', () => {
  const settings = fuzzSettings();
  let w: World;
  let ops: Operation[];
  let fuzzer: Fuzzer;
  let pools: Awaited<ReturnType<typeof worldPools>>;

  before(async () => {
    await ensureProducts();
    w = await buildWorld(harness.ds);
    await addCodeFixtures(w);
    await addVoucherFixtures(w);
    await givePassword(harness.ds, [w.A.pa.id, w.A.af.id]);
    const doc = (await (await fetch(`${harness.baseUrl}/openapi.json`)).json()) as OpenApiDoc;
    ops = operations(doc)
      .filter((op) => !settings.only || settings.only.some((s) => opName(op).includes(s)))
      .sort((a, b) => opName(a).localeCompare(opName(b)));
    const actors = [w.admin, w.A.pa, w.A.af];
    pools = await worldPools(harness.ds, w, [...actors.flatMap((p) => [p.id, p.tokenId]), w.A.partner, w.A.account]);
    fuzzer = new Fuzzer({ platform_admin: w.admin.token, partner_admin: w.A.pa.token, account_finance: w.A.af.token, 'no token': undefined, 'malformed token': 'not a token' });
    if (settings.announce) console.log(`  fuzz: seed ${settings.seed}, ${settings.runs} runs per operation, ${ops.length} operations`);
  });

  it('bad input (strict schemas, one error shape): no fuzzed request to any operation answers 5xx, every refusal is {error:{code,message,details}} and writes nothing, and no body is accepted unless sent as JSON', async function () {
    this.timeout(settings.timeoutMs);
    expect(ops.length, 'operations in /openapi.json').to.be.greaterThan(settings.only ? 0 : 50);
    const failures: string[] = [];
    const collected: Finding[] = [];
    for (const [i, op] of ops.entries()) {
      // Shrinking costs requests: the first few failing operations get it, the rest report as found.
      const report = await fuzzer.check(opName(op), requestFor(op, pools), {
        seed: settings.seed + i,
        runs: settings.runs,
        shrink: failures.length < settings.shrinkFirst,
        collect: settings.collect ? collected : undefined,
      });
      if (report) failures.push(report);
    }
    if (settings.collect) failures.push(...distinct(collected));
    if (settings.announce) for (const [op, counts] of fuzzer.statuses) console.log(`  ${op}: ${[...counts].sort().map(([s, n]) => `${s} x${n}`).join(', ')}`);
    const reproduce = `reproduce: FUZZ_SEED=${settings.seed} FUZZ_RUNS=${settings.runs} npm run fuzz (FUZZ_ONLY='<operation>' runs one)`;
    if (failures.length) expect.fail(`${failures.length} failing:\n\n${failures.join('\n\n')}\n\n${reproduce}\n`);
    // The fuzz reached past validation: some requests of most operations were answered 2xx or a
    // refusal other than 400 (401/403/404/409/422...), so handlers and services were exercised.
    const reached = [...fuzzer.statuses.values()].filter((counts) => [...counts.keys()].some((s) => s !== 400));
    expect(reached.length, 'operations whose fuzz got past validation').to.be.greaterThan(ops.length / 2);
  });
});

/** One finding per operation, problem and status: the same bug hit many times reads once. */
function distinct(findings: Finding[]): string[] {
  const seen = new Map<string, Finding>();
  for (const f of findings) {
    const key = `${f.op} | ${f.status} | ${f.problems.map((p) => p.replace(/wrote to .*/, 'wrote')).join('; ')} | ${/%(?![0-9A-Fa-f]{2})/.test(f.message.split('\n')[1] ?? '') ? 'malformed escape' : ''}`;
    if (!seen.has(key)) seen.set(key, f);
  }
  return [...seen.values()].map((f) => f.message);
}
