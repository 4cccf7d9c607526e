import { Column, Entity, PrimaryColumn } from 'typeorm';

export type PartnerTier = 1 | 2;
export type ActiveStatus = 'active' | 'deactivated';

@Entity('partners')
export class Partner {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'smallint' }) tier!: PartnerTier;
  @Column({ type: 'uuid', name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column({ type: 'uuid', name: 'bd_user_id', nullable: true }) bdUserId!: string | null;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) status!: ActiveStatus;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
