import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

/** R32: a voucher quota the vendor granted a partner. */
@Entity('voucher_pools')
export class VoucherPool {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'bigint', transformer: int8 }) granted!: bigint;
  @Column({ type: 'bigint', transformer: int8 }) balance!: bigint;
  @Column({ type: 'timestamptz', name: 'valid_from' }) validFrom!: Date;
  @Column({ type: 'timestamptz', name: 'valid_until' }) validUntil!: Date;
  @Column({ type: 'text' }) note!: string;
  @Column({ type: 'uuid', name: 'granted_by' }) grantedBy!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
