import { Column, Entity, PrimaryColumn } from 'typeorm';

/** (event, handler) pairs already handled: written in the handler's own transaction, so a re-delivery skips it. */
@Entity({ name: 'outbox_inbox' })
export class InboxOrmEntity {
  @PrimaryColumn({ name: 'event_id', type: 'varchar', length: 36 })
  eventId: string;

  @PrimaryColumn({ type: 'varchar', length: 150 })
  handler: string;

  @Column({ name: 'handled_at', type: 'datetime', precision: 6 })
  handledAt: Date;
}
