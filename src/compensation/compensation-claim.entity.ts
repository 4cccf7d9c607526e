import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

/** One account's claim on one fault (R33): granted with its coupon, or refused with the reason. */
@Entity('compensation_claims')
export class CompensationClaim {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'fault_id' }) faultId!: string;
  @Column({ type: 'uuid', name: 'account_id' }) accountId!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) status!: 'granted' | 'refused';
  @Column({ type: 'bigint', nullable: true, transformer: int8 }) amount!: bigint | null;
  @Column({ type: 'char', length: 3, nullable: true }) currency!: string | null;
  @Column({ type: 'text', name: 'refusal_code', nullable: true }) refusalCode!: string | null;
  @Column({ type: 'text', name: 'refusal_reason', nullable: true }) refusalReason!: string | null;
  @Column({ type: 'uuid', name: 'coupon_id', nullable: true }) couponId!: string | null;
  @Column({ type: 'jsonb' }) terms!: Record<string, unknown>;
  @Column({ type: 'uuid', name: 'claimed_by' }) claimedBy!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
