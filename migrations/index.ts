import type { MigrationInterface } from 'typeorm';
import { CreateIdentity1763800000000 } from './1763800000000-create-identity.js';
import { CreateOutbox1764547200000 } from './1764547200000-create-outbox.js';
import { AddOutboxTraceState1764806400000 } from './1764806400000-add-outbox-trace-state.js';
import { CreateCatalog1764979200000 } from './1764979200000-create-catalog.js';
import { CreateInventory1765065600000 } from './1765065600000-create-inventory.js';
import { CreateIdempotencyKeys1765152000000 } from './1765152000000-create-idempotency-keys.js';
import { CreateOrdering1765238400000 } from './1765238400000-create-ordering.js';
import { OutboxDueInSeqOrder1765324800000 } from './1765324800000-outbox-due-in-seq-order.js';
import { CreatePromotions1765411200000 } from './1765411200000-create-promotions.js';
import { AddOrderSagaAwaiting1765497600000 } from './1765497600000-add-order-saga-awaiting.js';

/**
 * Every migration, in order. Listed explicitly (not globbed) so that the compiled app, the CLI and the tests load
 * exactly the same classes whatever the working directory. `npm run migration:create` appends to this list.
 */
export const migrations: Array<new () => MigrationInterface> = [
  CreateIdentity1763800000000,
  CreateOutbox1764547200000,
  AddOutboxTraceState1764806400000,
  CreateCatalog1764979200000,
  CreateInventory1765065600000,
  CreateIdempotencyKeys1765152000000,
  CreateOrdering1765238400000,
  OutboxDueInSeqOrder1765324800000,
  CreatePromotions1765411200000,
  AddOrderSagaAwaiting1765497600000,
];
