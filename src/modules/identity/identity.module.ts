import { Module } from '@nestjs/common';
import { TypeOrmModule } from '@nestjs/typeorm';
import { AppConfig } from '../../config/app-config.js';
import { PrincipalLookup } from '../../platform/auth/principal.js';
import { ErrorCatalogModule } from '../../platform/http/error-catalog.module.js';
import { BootstrapAdminHandler } from './application/commands/bootstrap-admin/bootstrap-admin.handler.js';
import { ChangeMyPasswordHandler } from './application/commands/change-my-password/change-my-password.handler.js';
import { CreateUserHandler } from './application/commands/create-user/create-user.handler.js';
import { DeactivateUserHandler } from './application/commands/deactivate-user/deactivate-user.handler.js';
import { LogInHandler } from './application/commands/log-in/log-in.handler.js';
import { LogOutHandler } from './application/commands/log-out/log-out.handler.js';
import { RefreshSessionHandler } from './application/commands/refresh-session/refresh-session.handler.js';
import { RegisterUserHandler } from './application/commands/register-user/register-user.handler.js';
import { UpdateMyProfileHandler } from './application/commands/update-my-profile/update-my-profile.handler.js';
import { UpdateUserHandler } from './application/commands/update-user/update-user.handler.js';
import { IdentitySettings } from './application/identity-settings.js';
import { AccessTokenSigner } from './application/ports/access-token-signer.js';
import { PasswordHasher } from './application/ports/password-hasher.js';
import { RefreshTokenCodec } from './application/ports/refresh-token-codec.js';
import { UserReadModel } from './application/ports/user-read-model.js';
import { GetUserHandler } from './application/queries/get-user/get-user.handler.js';
import { ListUsersHandler } from './application/queries/list-users/list-users.handler.js';
import { SessionIssuer } from './application/session-issuer.js';
import { UserFactory } from './application/user-factory.js';
import { IDENTITY_ERROR_CODES } from './domain/identity.error-codes.js';
import { RefreshTokenRepository } from './domain/refresh-token.repository.js';
import { UserRepository } from './domain/user.repository.js';
import { IdentityPrincipalLookup } from './infrastructure/auth/identity-principal-lookup.js';
import { CachingUserReadModel } from './infrastructure/caching/caching-user-read-model.js';
import { CachedUserInvalidation } from './infrastructure/caching/cached-user-invalidation.js';
import { UserViewCache } from './infrastructure/caching/user-view-cache.js';
import { RefreshTokenOrmEntity } from './infrastructure/persistence/refresh-token.orm-entity.js';
import { TypeOrmRefreshTokenRepository } from './infrastructure/persistence/typeorm-refresh-token.repository.js';
import { TypeOrmUserReadModel } from './infrastructure/persistence/typeorm-user.read-model.js';
import { TypeOrmUserRepository } from './infrastructure/persistence/typeorm-user.repository.js';
import { UserOrmEntity } from './infrastructure/persistence/user.orm-entity.js';
import { Argon2PasswordHasher } from './infrastructure/security/argon2-password-hasher.js';
import { JwtAccessTokenSigner } from './infrastructure/security/jwt-access-token-signer.js';
import { OpaqueRefreshTokenCodec } from './infrastructure/security/opaque-refresh-token-codec.js';
import { IdentityStartup } from './infrastructure/startup/identity-startup.js';
import { AuthController } from './interface/http/auth.controller.js';
import { MeController } from './interface/http/me.controller.js';
import { UsersAdminController } from './interface/http/users-admin.controller.js';

/** The identity context: the only place where its ports meet their adapters (ARCHITECTURE §1). */
@Module({
  imports: [
    TypeOrmModule.forFeature([UserOrmEntity, RefreshTokenOrmEntity]),
    ErrorCatalogModule.forFeature('identity', IDENTITY_ERROR_CODES),
  ],
  controllers: [AuthController, MeController, UsersAdminController],
  providers: [
    // application
    RegisterUserHandler,
    CreateUserHandler,
    LogInHandler,
    RefreshSessionHandler,
    LogOutHandler,
    UpdateMyProfileHandler,
    ChangeMyPasswordHandler,
    UpdateUserHandler,
    DeactivateUserHandler,
    BootstrapAdminHandler,
    GetUserHandler,
    ListUsersHandler,
    UserFactory,
    SessionIssuer,
    {
      provide: IdentitySettings,
      inject: [AppConfig],
      useFactory: (config: AppConfig): IdentitySettings => ({ refreshTokenTtlMs: config.auth.refreshTokenTtlMs }),
    },
    // ports → adapters
    { provide: UserRepository, useClass: TypeOrmUserRepository },
    { provide: RefreshTokenRepository, useClass: TypeOrmRefreshTokenRepository },
    TypeOrmUserReadModel,
    UserViewCache,
    { provide: UserReadModel, useClass: CachingUserReadModel },
    { provide: PasswordHasher, useClass: Argon2PasswordHasher },
    { provide: AccessTokenSigner, useClass: JwtAccessTokenSigner },
    { provide: RefreshTokenCodec, useClass: OpaqueRefreshTokenCodec },
    // the platform's auth port, served from the user cache that identity's own events invalidate
    IdentityPrincipalLookup,
    { provide: PrincipalLookup, useExisting: IdentityPrincipalLookup },
    CachedUserInvalidation,
    IdentityStartup,
  ],
  exports: [PrincipalLookup],
})
export class IdentityModule {}
