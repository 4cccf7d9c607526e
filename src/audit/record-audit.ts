import type { EntityManager } from 'typeorm';
import type { Actor } from '../auth/actor';

export interface AuditEntry {
  tenantId: string | null;
  objectType: 'partner' | 'account' | 'user' | 'api_token' | 'template' | 'issuance_request' | 'coupon' | 'order' | 'fault' | 'compensation_claim';
  objectId: string;
  action: string;
  from?: string | null;
  to?: string | null;
  reason?: string | null;
}

/** R11: written in the same transaction as the change it describes. A null actor is the system. */
export async function recordAudit(em: EntityManager, actor: Actor | null, entries: AuditEntry[]): Promise<void> {
  if (entries.length === 0) return;
  await em.query(
    `INSERT INTO audit_events (tenant_id, object_type, object_id, action, from_status, to_status, reason, actor_user_id, actor_kind)
     SELECT * FROM unnest($1::uuid[], $2::text[], $3::uuid[], $4::text[], $5::text[], $6::text[], $7::text[], $8::uuid[], $9::text[])`,
    [
      entries.map((e) => e.tenantId),
      entries.map((e) => e.objectType),
      entries.map((e) => e.objectId),
      entries.map((e) => e.action),
      entries.map((e) => e.from ?? null),
      entries.map((e) => e.to ?? null),
      entries.map((e) => e.reason ?? null),
      entries.map(() => actor?.userId ?? null),
      entries.map(() => (actor ? 'user' : 'system')),
    ],
  );
}
