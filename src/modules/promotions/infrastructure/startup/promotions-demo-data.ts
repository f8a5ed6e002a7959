import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { ReadinessState } from '../../../../platform/health/readiness-state.js';
import { CreateCouponCommand } from '../../application/commands/create-coupon/create-coupon.command.js';
import { CouponOrmEntity } from '../persistence/coupon.orm-entity.js';

const TASK = 'promotions-demo-data';

/** The demo shop's coupon: 10 % off, once per customer, 100 orders in all. */
export const DEMO_COUPON_CODE = 'WELCOME-10';

/** With DEMO_DATA and no coupon yet, creates the demo coupon (through the command, like an admin would). */
@Injectable()
export class PromotionsDemoData implements OnApplicationBootstrap {
  private readonly logger = new Logger('Promotions');

  constructor(
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessState,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    if (this.config.demoData) await this.readiness.during(TASK, () => this.seed());
  }

  private async seed(): Promise<void> {
    if ((await this.dataSource.getRepository(CouponOrmEntity).count()) > 0) return;
    await this.commands.execute(
      new CreateCouponCommand(DEMO_COUPON_CODE, {
        discount: { percent: 10 },
        maxRedemptions: 100,
        maxRedemptionsPerUser: 1,
      }),
    );
    this.logger.log(`demo coupon ${DEMO_COUPON_CODE} created`);
  }
}
