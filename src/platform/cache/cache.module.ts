import { Global, Module } from '@nestjs/common';

/** The cache platform (SPEC §4 Caching): cache-aside behind a port, Redis or in-process. */
@Global()
@Module({})
export class CacheModule {}
