import { Command } from '@nestjs/cqrs';
import type { TokenPair } from '../../token-pair.js';

export class LogInCommand extends Command<TokenPair> {
  constructor(
    readonly email: string,
    readonly password: string,
  ) {
    super();
  }
}
