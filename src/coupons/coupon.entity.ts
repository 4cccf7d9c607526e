import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

export type CouponStatus = 'unused' | 'used' | 'expired' | 'pending_activation' | 'revoked';
export const COUPON_ORIGINS = ['issuance', 'activation_code', 'voucher', 'compensation'] as const;
export type CouponOrigin = (typeof COUPON_ORIGINS)[number];

@Entity('coupons')
export class Coupon {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  /** Null while a code-issued coupon awaits activation, and for a shared voucher (see coupon_holders). */
  @Column({ type: 'uuid', name: 'account_id', nullable: true }) accountId!: string | null;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'text' }) origin!: CouponOrigin;
  @Column({ type: 'uuid', name: 'template_id', nullable: true }) templateId!: string | null;
  @Column({ type: 'uuid', name: 'request_id', nullable: true }) requestId!: string | null;
  /** The quota pool a voucher was made from (R32). */
  @Column({ type: 'uuid', name: 'pool_id', nullable: true }) poolId!: string | null;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'bigint', name: 'face_value', transformer: int8 }) faceValue!: bigint;
  @Column({ type: 'bigint', transformer: int8 }) balance!: bigint;
  @Column({ type: 'text' }) status!: CouponStatus;
  @Column({ type: 'text', name: 'cost_bearer' }) costBearer!: 'vendor' | 'partner';
  @Column({ type: 'text' }) usage!: 'one_time' | 'reusable';
  @Column({ type: 'timestamptz', name: 'valid_from' }) validFrom!: Date;
  @Column({ type: 'timestamptz', name: 'valid_until' }) validUntil!: Date;
  @Column({ type: 'text', name: 'product_codes', array: true }) productCodes!: string[];
  @Column({ type: 'text', name: 'billing_modes', array: true }) billingModes!: string[];
  @Column({ type: 'text', array: true }) scenarios!: string[];
  @Column({ type: 'bigint', name: 'min_spend', nullable: true, transformer: int8 }) minSpend!: bigint | null;
  @Column({ type: 'integer', name: 'max_duration_months', nullable: true }) maxDurationMonths!: number | null;
  @Column({ type: 'boolean', name: 'allow_promotional' }) allowPromotional!: boolean;
  @Column({ type: 'jsonb' }) rules!: Record<string, unknown>;
  @Column({ type: 'timestamptz', name: 'issued_at' }) issuedAt!: Date;
  /** R35: when and why it was revoked (a void, or a voucher reclaimed into its pool); set exactly while `revoked`. */
  @Column({ type: 'timestamptz', name: 'revoked_at', nullable: true }) revokedAt!: Date | null;
  @Column({ type: 'text', name: 'revoked_reason', nullable: true }) revokedReason!: string | null;
}
