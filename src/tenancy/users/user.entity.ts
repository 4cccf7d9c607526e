import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ActiveStatus } from '../partners/partner.entity';

export const VENDOR_ROLES = ['platform_admin', 'bd'] as const;
export const PARTNER_ROLES = ['partner_admin', 'partner_operator', 'partner_viewer'] as const;
export const ACCOUNT_ROLES = ['account_owner', 'account_finance', 'account_member'] as const;
export const ROLES = [...VENDOR_ROLES, ...PARTNER_ROLES, ...ACCOUNT_ROLES] as const;
export type Role = (typeof ROLES)[number];

/** partner_id is the owning partner for account users too, so one condition scopes both. */
@Entity('users')
export class User {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column({ type: 'uuid', name: 'partner_id', nullable: true }) partnerId!: string | null;
  @Column({ type: 'uuid', name: 'account_id', nullable: true }) accountId!: string | null;
  @Column({ type: 'text' }) role!: Role;
  @Column({ type: 'text' }) email!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) status!: ActiveStatus;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
