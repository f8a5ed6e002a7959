import { createSecretKey } from 'node:crypto';
import { Global, Module, type DynamicModule, type ModuleMetadata } from '@nestjs/common';
import { JwtModule } from '@nestjs/jwt';
import { AppConfig } from '../../config/app-config.js';
import { AccessTokenVerifier } from './access-token-verifier.js';
import { JwtAuthGuard } from './jwt-auth.guard.js';
import { RequestAuthenticator } from './request-authenticator.js';
import { RolesGuard } from './roles.guard.js';

/**
 * JWT signing/verification for everyone (global JwtModule) and the guards. The key is a KeyObject built once
 * from JWT_SECRET's UTF-8 bytes: with a plain string, jsonwebtoken re-derives (and fails to parse) a key on every
 * verify, which alone halves an authenticated request's throughput (TOOLCHAIN.md).
 *
 * `principals` imports the module that provides PrincipalLookup (identity), keeping platform → modules
 * dependencies out of the code: the composition root wires them.
 */
@Global()
@Module({})
export class AuthModule {
  static forRoot(options: { principals: NonNullable<ModuleMetadata['imports']>[number] }): DynamicModule {
    return {
      module: AuthModule,
      imports: [
        options.principals,
        JwtModule.registerAsync({
          global: true,
          inject: [AppConfig],
          useFactory: (config: AppConfig) => ({
            secret: createSecretKey(Buffer.from(config.auth.jwtSecret, 'utf8')),
            signOptions: { algorithm: 'HS256', issuer: config.auth.jwtIssuer, audience: config.auth.jwtAudience },
            verifyOptions: { algorithms: ['HS256'], issuer: config.auth.jwtIssuer, audience: config.auth.jwtAudience },
          }),
        }),
      ],
      providers: [AccessTokenVerifier, RequestAuthenticator, JwtAuthGuard, RolesGuard],
      exports: [AccessTokenVerifier, RequestAuthenticator, JwtAuthGuard, RolesGuard],
    };
  }
}
