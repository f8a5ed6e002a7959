import { Global, Module } from '@nestjs/common';
import { Clock } from '../../shared/application/clock.js';
import { IdGenerator } from '../../shared/application/id-generator.js';
import { ReadinessState } from '../health/readiness-state.js';
import { SystemClock } from './system-clock.js';
import { UuidV7IdGenerator } from './uuid-v7-id-generator.js';

/** Binds the shared kernel's Clock and IdGenerator ports, and holds process-wide readiness state. */
@Global()
@Module({
  providers: [
    { provide: Clock, useClass: SystemClock },
    { provide: IdGenerator, useClass: UuidV7IdGenerator },
    ReadinessState,
  ],
  exports: [Clock, IdGenerator, ReadinessState],
})
export class RuntimeModule {}
