import { Module, type DynamicModule, type Provider } from '@nestjs/common';
import { DiscoveryModule } from '@nestjs/core';
import type { AppConfig } from '../../config/app-config.js';
import { OutboxStore } from '../persistence/outbox/outbox-store.js';
import { AmqpBrokerPublisher } from './broker/amqp-broker-publisher.js';
import { BrokerPublisher } from './broker/broker-publisher.js';
import { BrokerRelay } from './broker/broker-relay.js';
import { OutboxSubscriptions } from '../persistence/outbox/outbox-subscriptions.js';
import { CommandHooks } from './command-hooks.js';
import { CommandPipeline } from './command-pipeline.js';
import { DeadLettersController } from './dead-letters/dead-letters.controller.js';
import { IntegrationEventHandlers } from './integration-event-handlers.js';
import { OutboxMonitor } from './outbox-monitor.js';
import { OutboxRelay } from './outbox-relay.js';

/**
 * The events platform and the command pipeline (ARCHITECTURE §3): every command handler wrapped in a unit of work,
 * the outbox relay delivering integration events to `@OnIntegrationEvent` handlers, the broker relay publishing
 * them to RabbitMQ when BROKER_URL is set, the dead-letter admin routes, and the numbers operations will export.
 */
@Module({})
export class MessagingModule {
  static forRoot(config: AppConfig): DynamicModule {
    const { brokerUrl, brokerExchange } = config.events;
    const broker: Provider[] =
      brokerUrl === undefined
        ? []
        : [{ provide: BrokerPublisher, useFactory: () => new AmqpBrokerPublisher(brokerUrl, brokerExchange) }];
    return {
      module: MessagingModule,
      global: true,
      imports: [DiscoveryModule],
      controllers: [DeadLettersController],
      providers: [
        CommandHooks,
        CommandPipeline,
        IntegrationEventHandlers,
        { provide: OutboxSubscriptions, useExisting: IntegrationEventHandlers },
        OutboxStore,
        OutboxMonitor,
        OutboxRelay,
        BrokerRelay,
        ...broker,
      ],
      exports: [
        OutboxSubscriptions,
        CommandHooks,
        OutboxStore,
        OutboxMonitor,
        OutboxRelay,
        BrokerRelay,
        IntegrationEventHandlers,
      ],
    };
  }
}
