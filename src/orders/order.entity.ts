import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

@Entity('orders')
export class Order {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'account_id' }) accountId!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'text' }) scenario!: string;
  @Column({ type: 'boolean' }) promotional!: boolean;
  @Column({ type: 'boolean', name: 'paid_on_behalf' }) paidOnBehalf!: boolean;
  @Column({ type: 'bigint', transformer: int8 }) total!: bigint;
  @Column({ type: 'uuid', name: 'coupon_id', nullable: true }) couponId!: string | null;
  @Column({ type: 'bigint', name: 'coupon_deduction', transformer: int8 }) couponDeduction!: bigint;
  @Column({ type: 'bigint', transformer: int8 }) cash!: bigint;
  @Column({ type: 'text' }) status!: 'paid' | 'refunded';
  @Column({ type: 'text', name: 'resource_state' }) resourceState!: 'active' | 'grace_period' | 'retention_period';
  @Column({ type: 'text', name: 'idempotency_key' }) idempotencyKey!: string;
  @Column({ type: 'text', name: 'request_hash', select: false }) requestHash!: string;
  @Column({ type: 'uuid', name: 'created_by' }) createdBy!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
