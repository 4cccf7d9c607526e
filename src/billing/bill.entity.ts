import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

@Entity('bills')
export class Bill {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'account_id' }) accountId!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'uuid', name: 'cycle_id' }) cycleId!: string;
  @Column({ type: 'text', name: 'product_code' }) productCode!: string;
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'timestamptz', name: 'period_start' }) periodStart!: Date;
  @Column({ type: 'timestamptz', name: 'period_end' }) periodEnd!: Date;
  @Column({ type: 'bigint', transformer: int8 }) amount!: bigint;
  @Column({ type: 'bigint', name: 'coupon_deduction', transformer: int8 }) couponDeduction!: bigint;
  @Column({ type: 'bigint', name: 'cash_due', transformer: int8 }) cashDue!: bigint;
  @Column({ type: 'text' }) status!: 'unpaid' | 'paid' | 'overdue';
  @Column({ type: 'timestamptz', name: 'due_at' }) dueAt!: Date;
  @Column({ type: 'timestamptz', name: 'settled_at', nullable: true }) settledAt!: Date | null;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}
