import { Column, Entity, PrimaryColumn } from 'typeorm';
import { int8 } from '../shared/money';

@Entity('audit_events')
export class AuditEvent {
  @PrimaryColumn({ type: 'bigint', transformer: int8 }) id!: bigint;
  @Column({ type: 'uuid', name: 'tenant_id', nullable: true }) tenantId!: string | null;
  @Column({ type: 'text', name: 'object_type' }) objectType!: string;
  @Column({ type: 'uuid', name: 'object_id' }) objectId!: string;
  @Column({ type: 'text' }) action!: string;
  @Column({ type: 'text', name: 'from_status', nullable: true }) fromStatus!: string | null;
  @Column({ type: 'text', name: 'to_status', nullable: true }) toStatus!: string | null;
  @Column({ type: 'text', nullable: true }) reason!: string | null;
  @Column({ type: 'uuid', name: 'actor_user_id', nullable: true }) actorUserId!: string | null;
  @Column({ type: 'text', name: 'actor_kind' }) actorKind!: 'user' | 'system';
  @Column({ type: 'timestamptz' }) at!: Date;
}
