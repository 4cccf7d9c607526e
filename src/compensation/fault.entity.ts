import { Column, Entity, PrimaryColumn } from 'typeorm';
import type { FaultCause, FaultKind } from './compensation-rules';

/** A fault the vendor recorded (R33): vendor data, no tenant. */
@Entity('faults')
export class Fault {
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'text', name: 'product_code' }) productCode!: string;
  @Column({ type: 'text' }) kind!: FaultKind;
  @Column({ type: 'text' }) cause!: FaultCause;
  @Column({ type: 'timestamptz', name: 'starts_at' }) startsAt!: Date;
  @Column({ type: 'timestamptz', name: 'ends_at' }) endsAt!: Date;
  @Column({ type: 'text' }) description!: string;
  @Column({ type: 'uuid', name: 'created_by' }) createdBy!: string;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
}

/**
 * One account a fault affected: tenant data. The CASL subject `Fault` is checked against these
 * rows, so a partner or an account sees a fault only through the accounts of its own it affected.
 */
@Entity('fault_accounts')
export class FaultAccount {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid', name: 'fault_id' }) faultId!: string;
  @PrimaryColumn({ type: 'uuid', name: 'account_id' }) accountId!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
}
