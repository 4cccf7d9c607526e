import fs from 'node:fs';
import path from 'node:path';
import type { EntityManager } from 'typeorm';
import { config } from '../config';
import { createDataSource } from '../db/data-source';
import { inTransaction } from '../db/tx';
import { ensureBootstrapAdmin } from '../tenancy/bootstrap-admin';
import { insertUser } from '../tenancy/users/insert-user';
import { User, type Role } from '../tenancy/users/user.entity';
import { mintToken } from '../auth/tokens/token-admin';
import { hashPassword, verifyPassword } from '../auth/sessions/passwords';
import { exitOnConfigError } from '../shared/exit-on-config-error';
import type { DataSource } from 'typeorm';
import type { Actor } from '../auth/actor';
import type { Ctx } from '../auth/context';
import { defineAbilityFor } from '../auth/abilities';
import { logger } from '../logger';
import { createTemplate } from '../templates/template-admin';
import { CreateTemplateBody } from '../templates/template.schema';
import { submitRequest } from '../issuance/submit-request';

/**
 * The demo: a platform admin, a BD, a distributor assigned to the BD with a tier-2 reseller under
 * it, three customer accounts, one user per role. Idempotent: objects are found by their fixed
 * names; every run mints fresh demo tokens (revoking the previous ones) and prints them, and
 * makes sure every demo user's password is the demo password.
 */
const IDS = {
  distributor: '00000000-0000-4000-8000-000000000001',
  reseller: '00000000-0000-4000-8000-000000000002',
  accounts: ['00000000-0000-4000-8000-0000000000a1', '00000000-0000-4000-8000-0000000000a2', '00000000-0000-4000-8000-0000000000a3'] as const,
};

async function user(em: EntityManager, email: string, role: Role, where: { tenantId: string | null; partnerId: string | null; accountId: string | null }) {
  const found = await em.getRepository(User).findOneBy({ email });
  // split answers one piece at least
  return found ?? insertUser(em, null, { email, name: email.split('@')[0]!, role, ...where });
}

/** Every demo user signs in to the web app with this one password (README: "Signing in"). */
const DEMO_PASSWORD = 'demo-password-2026';

/** Gives each demo user the demo password, unless theirs already is it (then the hash stays as it is). */
async function ensureDemoPasswords(em: EntityManager, people: User[]): Promise<void> {
  const rows: { id: string; password_hash: string | null }[] = await em.query(`SELECT id, password_hash FROM users WHERE id = ANY($1::uuid[])`, [
    people.map((p) => p.id),
  ]);
  for (const row of rows) {
    if (row.password_hash && (await verifyPassword(row.password_hash, DEMO_PASSWORD))) continue;
    await em.query(`UPDATE users SET password_hash = $2, updated_at = now() WHERE id = $1`, [row.id, await hashPassword(DEMO_PASSWORD)]);
  }
}

/**
 * Catalog, templates and requests, through the real services: a partner-borne request that the
 * workers issue to Acme and Globex once they start, and a vendor-borne one waiting in the BD's queue.
 */
async function seedCoupons(ds: DataSource): Promise<void> {
  await ds.query(
    `INSERT INTO products (code, name, category, refundable, excluded_from_general, marketplace) VALUES
       ('cvm', 'Cloud Virtual Machine', 'compute', true, false, false),
       ('mysql', 'Managed MySQL', 'database', true, false, false),
       ('cos', 'Object Storage', 'storage', true, false, false),
       ('support', 'Premium Support', 'service', false, true, false),
       ('mkt-firewall', 'Marketplace Firewall', 'security', true, false, true)
     ON CONFLICT (code) DO NOTHING`,
  );
  const [{ n }] = await ds.query(`SELECT count(*)::int AS n FROM coupon_templates WHERE partner_id = $1`, [IDS.distributor]);
  if (n > 0) return;
  const admin = await ds.getRepository(User).findOneByOrFail({ email: 'admin@northwind.example' });
  const actor: Actor = { userId: admin.id, role: 'partner_admin', tenantId: IDS.distributor, partnerId: IDS.distributor, partnerTier: 1, accountId: null, bdTenantIds: [] };
  const ctx: Ctx = { actor, ability: defineAbilityFor(actor), log: logger, requestId: 'seed', ds };
  const welcome = await createTemplate(
    ctx,
    CreateTemplateBody.parse({
      name: 'Welcome credit', description: 'USD 50 for compute and databases', currency: 'USD', faceValue: '5000',
      costBearer: 'partner', issueLimit: 'once', validity: { kind: 'relative', days: 90 }, usage: 'reusable',
      productCodes: ['cvm', 'mysql'], billingModes: ['prepaid', 'payg'], scenarios: ['purchase', 'renewal'],
    }),
  );
  const growth = await createTemplate(
    ctx,
    CreateTemplateBody.parse({
      name: 'Vendor growth fund', currency: 'USD', faceValue: '20000', costBearer: 'vendor', issueLimit: 'unlimited',
      validity: { kind: 'relative', days: 180 }, usage: 'reusable', billingModes: ['prepaid'], scenarios: ['purchase', 'upgrade'],
      minSpend: '50000',
    }),
  );
  await submitRequest(ctx, { templateId: welcome.id, accountIds: [IDS.accounts[0], IDS.accounts[1]] });
  await submitRequest(ctx, { templateId: growth.id, accountIds: [IDS.accounts[0], IDS.accounts[2]] });
}

async function seed(): Promise<void> {
  const cfg = exitOnConfigError(config);
  const ds = await createDataSource(cfg.DATABASE_URL, 2).initialize();
  await ensureBootstrapAdmin(ds, cfg);
  const tokens = await inTransaction(ds, async (em) => {
    const admin = await em.getRepository(User).findOneByOrFail({ role: 'platform_admin', email: cfg.BOOTSTRAP_ADMIN_EMAIL });
    const bd = await user(em, 'bd@vendor.example', 'bd', { tenantId: null, partnerId: null, accountId: null });
    const t = IDS.distributor;
    await em.query(
      `INSERT INTO partners (tenant_id, id, tier, bd_user_id, name) VALUES ($1, $1, 1, $2, 'Northwind Distribution') ON CONFLICT DO NOTHING`,
      [t, bd.id],
    );
    await em.query(
      `INSERT INTO partners (tenant_id, id, tier, parent_id, name) VALUES ($1, $2, 2, $1, 'Contoso Resellers') ON CONFLICT DO NOTHING`,
      [t, IDS.reseller],
    );
    await em.query(
      `INSERT INTO accounts (tenant_id, partner_id, kind, reseller_partner_id, name) VALUES ($1, $1, 'reseller', $2, 'Contoso Resellers')
       ON CONFLICT DO NOTHING`,
      [t, IDS.reseller],
    );
    const names = ['Acme Corp', 'Globex', 'Initech'];
    for (const [i, id] of IDS.accounts.entries()) {
      await em.query(`INSERT INTO accounts (tenant_id, id, partner_id, kind, name) VALUES ($1, $2, $1, 'customer', $3) ON CONFLICT DO NOTHING`, [t, id, names[i]]);
    }
    const acme = IDS.accounts[0];
    const people: User[] = [
      admin,
      bd,
      await user(em, 'admin@northwind.example', 'partner_admin', { tenantId: t, partnerId: t, accountId: null }),
      await user(em, 'operator@northwind.example', 'partner_operator', { tenantId: t, partnerId: t, accountId: null }),
      await user(em, 'viewer@northwind.example', 'partner_viewer', { tenantId: t, partnerId: t, accountId: null }),
      await user(em, 'admin@contoso.example', 'partner_admin', { tenantId: t, partnerId: IDS.reseller, accountId: null }),
      await user(em, 'owner@acme.example', 'account_owner', { tenantId: t, partnerId: t, accountId: acme }),
      await user(em, 'finance@acme.example', 'account_finance', { tenantId: t, partnerId: t, accountId: acme }),
      await user(em, 'member@acme.example', 'account_member', { tenantId: t, partnerId: t, accountId: acme }),
    ];
    await em.query(`UPDATE api_tokens SET revoked_at = now() WHERE name = 'demo' AND revoked_at IS NULL AND user_id = ANY($1::uuid[])`, [
      people.map((p) => p.id),
    ]);
    await ensureDemoPasswords(em, people);
    const out: { role: string; email: string; token: string }[] = [];
    for (const p of people) out.push({ role: p.role, email: p.email, token: (await mintToken(em, null, p, 'demo')).token });
    return out;
  });
  await seedCoupons(ds);
  await ds.destroy();

  const file = path.join(process.cwd(), '.local', 'demo-tokens.json');
  fs.mkdirSync(path.dirname(file), { recursive: true });
  fs.writeFileSync(file, JSON.stringify(tokens, null, 2), { mode: 0o600 });
  const lines = tokens.map((t) => `  ${t.role.padEnd(17)} ${t.email.padEnd(28)} ${t.token}`);
  process.stdout.write(
    `\nDemo users and their API tokens (also in .local/demo-tokens.json):\n${lines.join('\n')}\n` +
      `Every demo user signs in to the web app with the password ${DEMO_PASSWORD}\n\n`,
  );
}

seed().catch((err: unknown) => {
  process.stderr.write(`seed failed: ${String((err as Error)?.stack ?? err)}\n`);
  process.exit(1);
});
