import { Command } from '@nestjs/cqrs';
import type { TokenPair } from '../../token-pair.js';

export class RefreshSessionCommand extends Command<TokenPair> {
  constructor(readonly refreshToken: string) {
    super();
  }
}
