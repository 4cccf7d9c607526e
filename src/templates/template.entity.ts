import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

@Entity('coupon_templates')
export class CouponTemplate {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) name!: string;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'bigint', name: 'face_value', transformer: int8 }) faceValue!: bigint;
  @Column({ type: 'text', name: 'cost_bearer' }) costBearer!: 'vendor' | 'partner';
  @Column({ type: 'text', name: 'issue_limit' }) issueLimit!: 'once' | 'unlimited';
  @Column({ type: 'text', name: 'validity_kind' }) validityKind!: 'fixed' | 'relative';
  @Column({ type: 'timestamptz', name: 'valid_from', nullable: true }) validFrom!: Date | null;
  @Column({ type: 'timestamptz', name: 'valid_until', nullable: true }) validUntil!: Date | null;
  @Column({ type: 'integer', name: 'valid_days', nullable: true }) validDays!: number | null;
  @Column({ type: 'text' }) usage!: 'one_time' | 'reusable';
  @Column({ type: 'text', name: 'product_codes', array: true }) productCodes!: string[];
  @Column({ type: 'text', name: 'billing_modes', array: true }) billingModes!: string[];
  @Column({ type: 'text', array: true }) scenarios!: string[];
  @Column({ type: 'bigint', name: 'min_spend', nullable: true, transformer: int8 }) minSpend!: bigint | null;
  @Column({ type: 'integer', name: 'max_duration_months', nullable: true }) maxDurationMonths!: number | null;
  @Column({ type: 'boolean', name: 'allow_promotional' }) allowPromotional!: boolean;
  @Column({ type: 'integer', name: 'cap_count', nullable: true }) capCount!: number | null;
  @Column({ type: 'bigint', name: 'cap_amount', nullable: true, transformer: int8 }) capAmount!: bigint | null;
  @Column({ type: 'integer', name: 'committed_count' }) committedCount!: number;
  @Column({ type: 'bigint', name: 'committed_amount', transformer: int8 }) committedAmount!: bigint;
  @Column({ type: 'text' }) status!: 'active' | 'archived';
  @Column({ type: 'timestamptz', name: 'locked_at', nullable: true }) lockedAt!: Date | null;
  @Column({ type: 'uuid', name: 'created_by', nullable: true }) createdBy!: string | null;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
