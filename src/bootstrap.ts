import { NestFactory } from '@nestjs/core';
import type { NestFastifyApplication } from '@nestjs/platform-fastify';
import { Logger } from 'nestjs-pino';
import { AppModule } from './app.module.js';
import type { AppConfig } from './config/app-config.js';
import { configureHttp, createFastifyAdapter } from './platform/http/configure-http.js';

/** Builds the fully configured application without listening: main.ts and the e2e tests share it. */
export async function createApp(config: AppConfig): Promise<NestFastifyApplication> {
  const app = await NestFactory.create<NestFastifyApplication>(
    AppModule.forRoot(config),
    createFastifyAdapter(config),
    {
      bufferLogs: true,
      // Fastify's own JSON parser only (size limit, prototype-poisoning protection); Nest would add urlencoded too.
      bodyParser: false,
    },
  );
  app.useLogger(app.get(Logger));
  await configureHttp(app, config);
  return app;
}
