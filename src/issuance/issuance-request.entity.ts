import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

export type RequestStatus =
  | 'submitted' | 'pending_approval' | 'approved' | 'issuing' | 'issued' | 'issued_with_failures'
  | 'rejected' | 'cancelled' | 'expired';
/** To named accounts, or offline: a count of coupons with activation codes (R31). */
export type RequestKind = 'accounts' | 'activation_codes';

@Entity('issuance_requests')
export class IssuanceRequest {
  @PrimaryColumn({ type: 'uuid', name: 'tenant_id' }) tenantId!: string;
  @PrimaryColumn({ type: 'uuid' }) id!: string;
  @Column({ type: 'uuid', name: 'partner_id' }) partnerId!: string;
  @Column({ type: 'uuid', name: 'template_id' }) templateId!: string;
  @Column({ type: 'text' }) kind!: RequestKind;
  @Column({ type: 'text', name: 'cost_bearer' }) costBearer!: 'vendor' | 'partner';
  @Column({ type: 'char', length: 3 }) currency!: string;
  @Column({ type: 'bigint', name: 'face_value', transformer: int8 }) faceValue!: bigint;
  @Column({ type: 'integer', name: 'total_accounts' }) totalAccounts!: number;
  @Column({ type: 'bigint', name: 'total_face_value', transformer: int8 }) totalFaceValue!: bigint;
  @Column({ type: 'text' }) status!: RequestStatus;
  @Column({ type: 'integer', name: 'issued_count' }) issuedCount!: number;
  @Column({ type: 'integer', name: 'failed_count' }) failedCount!: number;
  @Column({ type: 'uuid', name: 'submitted_by' }) submittedBy!: string;
  @Column({ type: 'uuid', name: 'decided_by', nullable: true }) decidedBy!: string | null;
  @Column({ type: 'timestamptz', name: 'decided_at', nullable: true }) decidedAt!: Date | null;
  @Column({ type: 'text', name: 'decision_reason', nullable: true }) decisionReason!: string | null;
  @Column({ type: 'timestamptz', name: 'expires_at', nullable: true }) expiresAt!: Date | null;
  /** The budget it draws on (R36); null: no budget was set, so no limit. */
  @Column({ type: 'uuid', name: 'budget_id', nullable: true }) budgetId!: string | null;
  @Column({ type: 'timestamptz', name: 'created_at' }) createdAt!: Date;
  @Column({ type: 'timestamptz', name: 'updated_at' }) updatedAt!: Date;
}
