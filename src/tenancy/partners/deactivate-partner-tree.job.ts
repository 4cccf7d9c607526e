import type { Handler } from '../../jobs/run-job';
import { recordAudit, type AuditEntry } from '../../audit/record-audit';
import { updateReturning } from '../../db/tx';

/**
 * After a partner is deactivated: its resellers (for a distributor), every account they own, the
 * users of all of them and their tokens. Set-based, in the job's one transaction.
 */
export const deactivatePartnerTree: Handler<'tenancy.deactivate-partner-tree'> = async (p, { em, log }) => {
  const children = await updateReturning<{ id: string }>(em,
    `UPDATE partners SET status = 'deactivated', updated_at = now()
      WHERE tenant_id = $1 AND parent_id = $2 AND status = 'active' RETURNING id`,
    [p.tenantId, p.partnerId],
  );
  const partnerIds = [p.partnerId, ...children.map((c) => c.id)];
  const accounts = await updateReturning<{ id: string }>(em,
    `UPDATE accounts SET status = 'deactivated', updated_at = now()
      WHERE tenant_id = $1 AND (partner_id = ANY($2::uuid[]) OR reseller_partner_id = ANY($2::uuid[])) AND status = 'active'
      RETURNING id`,
    [p.tenantId, partnerIds],
  );
  const users = await updateReturning<{ id: string }>(em,
    `UPDATE users SET status = 'deactivated', updated_at = now()
      WHERE tenant_id = $1 AND partner_id = ANY($2::uuid[]) AND status = 'active' RETURNING id`,
    [p.tenantId, partnerIds],
  );
  await em.query(
    `UPDATE api_tokens SET revoked_at = now() WHERE tenant_id = $1 AND partner_id = ANY($2::uuid[]) AND revoked_at IS NULL`,
    [p.tenantId, partnerIds],
  );
  const reason = `partner ${p.partnerId} deactivated: ${p.reason}`;
  const entry = (objectType: AuditEntry['objectType'], id: string): AuditEntry => ({
    tenantId: p.tenantId, objectType, objectId: id, action: 'deactivated', from: 'active', to: 'deactivated', reason,
  });
  await recordAudit(em, null, [
    ...children.map((c) => entry('partner', c.id)),
    ...accounts.map((a) => entry('account', a.id)),
    ...users.map((u) => entry('user', u.id)),
  ]);
  log.info({ resellers: children.length, accounts: accounts.length, users: users.length }, 'partner tree deactivated');
};
