import { randomUUID } from 'node:crypto';
import { expect } from 'chai';
import { harness } from './harness';
import { as } from './http';
import type { Person } from './world';

/** Catalog entries the coupon tests refer to (idempotent). */
export async function ensureProducts(): Promise<void> {
  await harness.ds.query(
    `INSERT INTO products (code, name, category, excluded_from_general, marketplace) VALUES
       ('cvm', 'Cloud Virtual Machine', 'compute', false, false),
       ('mysql', 'Managed MySQL', 'database', false, false),
       ('support', 'Premium Support', 'service', true, false),
       ('mkt-firewall', 'Marketplace Firewall', 'security', false, true)
     ON CONFLICT (code) DO NOTHING`,
  );
}

export function templateBody(over: Record<string, unknown> = {}): Record<string, unknown> {
  return {
    name: `T-${randomUUID().slice(0, 6)}`,
    currency: 'USD',
    faceValue: '5000',
    costBearer: 'partner',
    issueLimit: 'unlimited',
    validity: { kind: 'relative', days: 30 },
    usage: 'reusable',
    productCodes: ['cvm'],
    billingModes: ['prepaid', 'payg'],
    scenarios: ['purchase', 'renewal'],
    ...over,
  };
}

export async function createTemplate(by: Person, over: Record<string, unknown> = {}): Promise<{ id: string } & Record<string, unknown>> {
  const res = await as(by.token).post('/v1/templates', templateBody(over));
  expect(res.status, JSON.stringify(res.body)).to.equal(201);
  return res.body;
}

/** Inserts `n` active customer accounts for a partner, in one statement. */
export async function bulkAccounts(tenantId: string, partnerId: string, n: number): Promise<string[]> {
  const rows: { id: string }[] = await harness.ds.query(
    `INSERT INTO accounts (tenant_id, partner_id, kind, name)
     SELECT $1, $2, 'customer', 'bulk-' || g FROM generate_series(1, $3) g RETURNING id`,
    [tenantId, partnerId, n],
  );
  return rows.map((r) => r.id);
}
