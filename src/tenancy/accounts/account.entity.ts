import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { ActiveStatus } from '../partners/partner.entity';

export type AccountKind = 'customer' | 'reseller';

@Entity('accounts')
export class Account {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) kind!: AccountKind;
  @Column({ type: 'uuid', name: 'reseller_partner_id', nullable: true }) resellerPartnerId!: string | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) status!: ActiveStatus;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
