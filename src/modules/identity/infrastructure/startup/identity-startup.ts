import { Injectable, Logger, type OnApplicationBootstrap } from '@nestjs/common';
import { CommandBus } from '@nestjs/cqrs';
import { DataSource } from 'typeorm';
import { AppConfig } from '../../../../config/app-config.js';
import { ReadinessState } from '../../../../platform/health/readiness-state.js';
import { DuplicateError } from '../../../../shared/domain/domain-error.js';
import { BootstrapAdminCommand } from '../../application/commands/bootstrap-admin/bootstrap-admin.command.js';
import { CreateUserCommand } from '../../application/commands/create-user/create-user.command.js';
import { UserOrmEntity } from '../persistence/user.orm-entity.js';

const TASK = 'identity-bootstrap';

/** Demo accounts for the embedded first run (DEMO_DATA); main.ts prints them. Never created in production. */
export const DEMO_ACCOUNTS = [
  { email: 'admin@orderly.local', password: 'orderly-admin', displayName: 'Demo Admin', roles: ['customer', 'admin'] },
  { email: 'customer@orderly.local', password: 'orderly-customer', displayName: 'Demo Customer', roles: ['customer'] },
] as const;

/**
 * Start-up work of identity, before the instance reports ready: the ADMIN_EMAIL/ADMIN_PASSWORD bootstrap and,
 * on an empty database with DEMO_DATA, the demo accounts. Both go through the command bus like any other write.
 */
@Injectable()
export class IdentityStartup implements OnApplicationBootstrap {
  private readonly logger = new Logger('Identity');

  constructor(
    private readonly commands: CommandBus,
    private readonly config: AppConfig,
    private readonly readiness: ReadinessState,
    private readonly dataSource: DataSource,
  ) {}

  async onApplicationBootstrap(): Promise<void> {
    this.readiness.begin(TASK);
    const { adminEmail, adminPassword } = this.config.auth;
    if (adminEmail !== undefined && adminPassword !== undefined) {
      const outcome = await this.bootstrapAdmin(adminEmail, adminPassword);
      this.logger.log(`admin ${adminEmail}: ${outcome}`);
    }
    if (this.config.demoData && (await this.dataSource.getRepository(UserOrmEntity).count()) <= (adminEmail ? 1 : 0)) {
      for (const account of DEMO_ACCOUNTS) {
        await this.commands.execute(
          new CreateUserCommand(account.email, account.password, account.displayName, account.roles),
        );
      }
      this.logger.log('demo accounts created');
    }
    this.readiness.complete(TASK);
  }

  /** Another instance starting at the same moment may create the admin first: then promote what it created. */
  private async bootstrapAdmin(email: string, password: string): Promise<string> {
    try {
      return await this.commands.execute(new BootstrapAdminCommand(email, password));
    } catch (error) {
      if (!(error instanceof DuplicateError)) throw error;
      return this.commands.execute(new BootstrapAdminCommand(email, password));
    }
  }
}
