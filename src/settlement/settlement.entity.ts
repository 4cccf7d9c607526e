import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

/**
 * A partner's settlement of a closed month (R37), per currency. Written once by the close
 * (close-month.ts), never changed. Its columns also name what the CASL conditions on settlement
 * subjects (tenantId, partnerId) become in SQL (src/auth/ability-sql.ts).
 */
@Entity('settlements')
export class Settlement {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @PrimaryColumn({ type: 'char', length: 3 }) currency!: string;
  @PrimaryColumn({ type: 'date' }) month!: string;
  @Column({ type: 'smallint' }) tier!: 1 | 2;
  @Column({ type: 'uuid', name: 'parent_id', nullable: true }) parentId!: string | null;
  @Column({ type: 'uuid', name: 'bd_user_id', nullable: true }) bdUserId!: string | null;
  @Column({ type: 'bigint', name: 'partner_borne', transformer: int8 }) partnerBorne!: bigint;
  @Column({ type: 'bigint', name: 'passed_up', transformer: int8 }) passedUp!: bigint;
  @Column({ type: 'bigint', transformer: int8 }) owed!: bigint;
  @Column({ type: 'bigint', name: 'vendor_borne', transformer: int8 }) vendorBorne!: bigint;
  @Column({ type: 'bigint', transformer: int8 }) adjustments!: bigint;
}
