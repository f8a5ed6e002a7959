import { Command } from '@nestjs/cqrs';

export type BootstrapOutcome = 'created' | 'promoted' | 'unchanged';

export class BootstrapAdminCommand extends Command<BootstrapOutcome> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
