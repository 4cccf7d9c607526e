import type { DataSource } from 'typeorm';
import type { World } from '../world';
import { codesOf } from '../codes-world';
import { vouchersOf } from '../vouchers-world';
import type { Pools } from './from-schema';

const ALIAS: Record<string, string> = { parent: 'partner', bdUser: 'user', coupon: 'coupon', codeCoupon: 'coupon' };

/** accountIds -> account, parentId -> partner, "order:write" -> order. */
const kindOf = (hint: string) => {
  const bare = hint.replace(/:write$/, '').replace(/Ids?$/, '');
  return ALIAS[bare] ?? bare;
};

/**
 * The real ids of a fuzz world, by kind, so a share of the fuzzed requests names objects that exist
 * and reaches the handlers. `protectedIds` (the actors' own user, token, partner and account) are
 * left out for writes (`kind:write`), so that the fuzz cannot lock its own actors out.
 */
export async function worldPools(ds: DataSource, w: World, protectedIds: string[]): Promise<Pools> {
  const none = (): string[] => [];
  const byKind = {
    partner: none(), account: none(), user: none(), token: none(), template: none(), request: none(), coupon: none(), order: none(), bill: none(),
    fault: none(), pool: none(), voucher: none(), cycle: none(),
  };
  const ofKind: Record<string, string[] | undefined> = byKind;
  for (const t of [w.A, w.B]) {
    byKind.partner.push(t.partner, t.reseller);
    byKind.account.push(t.account, t.account2, t.resellerAccount, t.resellerCustomer);
    for (const p of [t.pa, t.po, t.pv, t.ra, t.ro, t.ao, t.af, t.am]) {
      byKind.user.push(p.id);
      byKind.token.push(p.tokenId);
    }
    byKind.template.push(t.tplD, t.tplR);
    byKind.request.push(t.reqD, t.reqR, codesOf(t).offline);
    byKind.coupon.push(t.couponD, t.couponR, codesOf(t).codeCoupon, vouchersOf(t).voucher);
    byKind.order.push(t.orderD, t.orderR);
    byKind.bill.push(t.billD, t.billR);
    byKind.fault.push(t.fault);
    byKind.pool.push(vouchersOf(t).pool);
    byKind.voucher.push(vouchersOf(t).voucher);
  }
  for (const p of [w.admin, w.bd, w.otherBd]) {
    byKind.user.push(p.id);
    byKind.token.push(p.tokenId);
  }
  const cycles: { id: string }[] = await ds.query('SELECT id FROM billing_cycles ORDER BY id LIMIT 3');
  byKind.cycle.push(...cycles.map((c) => c.id));
  const all = [...new Set(Object.values(byKind).flat())].sort();
  const guarded = new Set(protectedIds);
  const emails = [w.admin, w.A.pa, w.A.af, w.B.pa].map((p) => p.email);
  const products: { code: string }[] = await ds.query('SELECT code FROM products ORDER BY code LIMIT 5');
  const productCodes = products.map((p) => p.code);
  const known: Record<string, string[] | undefined> = { product: productCodes, currency: ['USD', 'EUR'] };
  return {
    known: (name) => known[name.replace(/(Codes?|s)$/, '')] ?? (name === 'code' ? productCodes : []),
    ids: (hint) => {
      const ids = ofKind[kindOf(hint)] ?? all;
      return hint.endsWith(':write') ? ids.filter((id) => !guarded.has(id)) : ids;
    },
    emails,
  };
}
