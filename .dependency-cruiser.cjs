// Architecture rules for Orderly (docs/ARCHITECTURE.md §1 "dependencies point inward" and §4 "contexts never
// import each other's internals"). `npm run lint:arch` runs them over src/ and CI fails on any `error`.
// test/arch/architecture-rules.spec.ts proves each rule fires on a violating fixture and stays quiet on a
// compliant one — change a rule only together with that test.
//
// Allow-lists, not deny-lists: each layer names what it MAY import (`to.pathNot`), so a new folder, package or
// layer is refused until someone decides it belongs. A rule's comment says what is allowed and why; the
// violation message names the rule, the importing file and the import.
//
// How the paths are written:
// - Every rule that looks at src/ starts its `from.path` with ROOT, the capture group `^(|.*/)`. For the
//   real tree it captures "" (paths look like `src/modules/…`); for the test fixtures it captures their folder
//   (`test/.arch-fixtures-x/case/`), so the same rules run unchanged against the fixtures.
// - The `to` side repeats that prefix as `$1` so a rule only compares files of the same tree, and `$2` is the
//   bounded context (or layer) captured from the `from` path. Capture groups must always participate in the
//   match: dependency-cruiser drops groups that matched nothing, which would shift `$2` into `$1`.
// - npm packages resolve to `node_modules/<name>/…` and node builtins to their bare name (`crypto`); builtins
//   are matched by dependency type (`core`), never by name.
// - Unit tests beside the code (`*.spec.ts`) are exempt from the layer rules: they may use test tooling and
//   fakes (test/support), which production code may not (not-to-test, not-to-dev-dep).

/** Start of every `from.path`: captures the tree's root folder as $1 ("" for the real src/). */
const ROOT = '^(|.*/)';
const SPEC = '\\.spec\\.ts$';
const LAYERS = ['domain', 'application', 'infrastructure', 'interface', 'contracts'];

const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
/** A `to.path` pattern matching the listed npm packages (and only those: `@nestjs/common`, not `@nestjs/core`). */
const packages = (...names) => `(^|/)node_modules/(${names.map(escapeRe).join('|')})/`;
const ANY_PACKAGE = '(^|/)node_modules/';

/**
 * The `to` side of an allow-list rule: an import violates it when it matches none of `allowed` (and is not a
 * node builtin, when `builtins` are allowed). Unresolvable imports are left to not-to-unresolvable, so one
 * mistake gives one message.
 */
const allowOnly = (allowed, { builtins = false } = {}) => ({
  pathNot: allowed,
  couldNotResolve: false,
  ...(builtins ? { dependencyTypesNot: ['core'] } : {}),
});

/** Any context's public API. */
const CONTRACTS = '^$1src/modules/[^/]+/contracts/';
/** Application code may use the CQRS buses and Nest's DI decorators, nothing heavier. */
const APPLICATION_PACKAGES = packages('@nestjs/common', '@nestjs/cqrs');
/** The HTTP edge: routing, validation, transformation and OpenAPI decorators, Fastify's request/reply types. */
const INTERFACE_PACKAGES = packages(
  '@nestjs/common',
  '@nestjs/cqrs',
  '@nestjs/swagger',
  'class-validator',
  'class-transformer',
  'fastify',
);
/**
 * The platform folders an interface adapter may use: HTTP plumbing (error catalog decorators, pagination), auth
 * (guards, @CurrentUser, @Public), rate limiting (route-level @AuthRateLimit) and idempotency (@Idempotent). Persistence, Redis, runtime
 * and health are infrastructure concerns and stay behind application ports.
 */
const INTERFACE_PLATFORM = '^$1src/platform/(http|auth|rate-limit|idempotency)/';

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-allow-list',
      severity: 'error',
      comment:
        "ARCHITECTURE §1: the domain (a context's domain/ and src/shared/domain/) may import only its own domain/ " +
        'folder and src/shared/domain/ — no npm package (no NestJS, TypeORM, class-validator), no node builtin ' +
        '(time and ids come from injected ports), no other layer. Type-only imports count too: a domain that ' +
        'names an ORM type is already coupled to it.',
      // $2 is either `modules/<context>` or `shared`.
      from: { path: `${ROOT}src/(modules/[^/]+|shared)/domain/`, pathNot: SPEC },
      to: allowOnly(['^$1src/(shared|$2)/domain/']),
    },
    {
      name: 'shared-application-allow-list',
      severity: 'error',
      comment:
        'src/shared/application/ holds the cross-context ports (UnitOfWork, Clock, IdGenerator, cursors, ' +
        'handler/event decorators) every context imports. It may import only src/shared/ and @nestjs/common / ' +
        '@nestjs/cqrs: never src/platform/ (the adapters implement these ports), src/config/ or a context.',
      from: { path: `${ROOT}src/shared/application/`, pathNot: SPEC },
      to: allowOnly(['^$1src/shared/(domain|application)/', APPLICATION_PACKAGES]),
    },
    {
      name: 'application-allow-list',
      severity: 'error',
      comment:
        "ARCHITECTURE §1: a context's application/ (handlers, ports, event handlers) may import its own domain/ " +
        "and application/, src/shared/domain/ and src/shared/application/, any context's contracts/, and the npm " +
        'packages @nestjs/common and @nestjs/cqrs (decorators, buses). Everything with side effects sits behind ' +
        'a port (an abstract class) that infrastructure implements: no infrastructure/ or interface/, no ' +
        '<context>.module.ts, no src/platform/ or src/config/ (settings arrive as an injected port), no ORM, ' +
        'driver, HTTP or validation package and no node builtin (crypto, timers, async hooks are adapters).',
      // $2 is the context.
      from: { path: `${ROOT}src/modules/([^/]+)/application/`, pathNot: SPEC },
      to: allowOnly([
        '^$1src/modules/$2/(domain|application)/',
        '^$1src/shared/(domain|application)/',
        CONTRACTS,
        APPLICATION_PACKAGES,
      ]),
    },
    {
      name: 'interface-allow-list',
      severity: 'error',
      comment:
        "ARCHITECTURE §1/§3: a context's interface/ (controllers, gateways, DTOs) may import its own " +
        "application/ (commands, queries, views) and interface/, its own domain/'s vocabulary — value objects' " +
        'limits, enums, errors — but not aggregates or repository ports (a controller that loads or changes an ' +
        "aggregate bypasses the handler pipeline), any context's contracts/, src/shared/, the platform's http/, " +
        'auth/, rate-limit/ and idempotency/ (@Idempotent) folders, and the packages of the HTTP edge (@nestjs/common, @nestjs/cqrs, ' +
        '@nestjs/swagger, class-validator, class-transformer, fastify).',
      // $2 is the context.
      from: { path: `${ROOT}src/modules/([^/]+)/interface/`, pathNot: SPEC },
      to: allowOnly([
        '^$1src/modules/$2/(application|interface)/',
        '^$1src/modules/$2/domain/(?![^/]*\\.(aggregate|repository)\\.ts$)',
        CONTRACTS,
        '^$1src/shared/',
        INTERFACE_PLATFORM,
        INTERFACE_PACKAGES,
      ]),
    },
    {
      name: 'interface-not-to-infrastructure',
      severity: 'error',
      comment:
        'ARCHITECTURE §1: interface and infrastructure are both adapters around the application; a controller ' +
        'that imports a repository implementation, an ORM entity or a cache skips the use case (and its ' +
        'transaction, retry and authorisation). Ask the application through the command/query bus instead.',
      from: { path: `${ROOT}src/modules/([^/]+)/interface/`, pathNot: SPEC },
      to: { path: '^$1src/modules/$2/infrastructure/' },
    },
    {
      name: 'infrastructure-allow-list',
      severity: 'error',
      comment:
        "ARCHITECTURE §1: a context's infrastructure/ (repositories, mappers, ORM entities, other adapters) may " +
        "import its own domain/, application/ and infrastructure/, any context's contracts/, src/shared/, " +
        'src/platform/ (persistence, messaging, outbox, redis, …), src/config/ (AppConfig is injected into ' +
        'adapters), any npm package and node builtins. Never its interface/ or its <context>.module.ts.',
      from: { path: `${ROOT}src/modules/([^/]+)/infrastructure/`, pathNot: SPEC },
      to: allowOnly(
        [
          '^$1src/modules/$2/(domain|application|infrastructure)/',
          CONTRACTS,
          '^$1src/(shared|platform|config)/',
          ANY_PACKAGE,
        ],
        { builtins: true },
      ),
    },
    {
      name: 'contracts-allow-list',
      severity: 'error',
      comment:
        "A context's contracts/ (integration event types, facade ports) are imported by other contexts, so they " +
        'may import only their own contracts/ folder and src/shared/domain/ or src/shared/application/ (the ' +
        'kernel every context already depends on: base types, the integration-event decorator). Not their own ' +
        "domain (consumers would couple to it), application, infrastructure or module, another context's " +
        'contracts, or any npm package.',
      // $2 is the context.
      from: { path: `${ROOT}src/modules/([^/]+)/contracts/`, pathNot: SPEC },
      to: allowOnly(['^$1src/modules/$2/contracts/', '^$1src/shared/(domain|application)/']),
    },
    {
      name: 'module-file-allow-list',
      severity: 'error',
      comment:
        "ARCHITECTURE §1: <context>.module.ts binds the context's ports to its adapters, so it may import " +
        "everything of its own context, other contexts' contracts/, src/shared/, src/platform/, src/config/ and " +
        'any npm package — but not the composition root (src/app.module.ts, main.ts, bootstrap.ts) that imports ' +
        'it, nor anything else outside these.',
      from: { path: `${ROOT}src/modules/([^/]+)/[^/]+\\.module\\.ts$` },
      to: allowOnly(['^$1src/modules/$2/', CONTRACTS, '^$1src/(shared|platform|config)/', ANY_PACKAGE], {
        builtins: true,
      }),
    },
    {
      name: 'contexts-talk-through-contracts',
      severity: 'error',
      comment:
        "ARCHITECTURE §2/§4: another context's contracts/ folder (integration events, facade port) is the only " +
        'part of it a context may import; its domain, application, infrastructure, interface and module file ' +
        'are private, so each context can change them without breaking the others.',
      // $2 is the importing context.
      from: { path: `${ROOT}src/modules/([^/]+)/` },
      to: { path: '^$1src/modules/', pathNot: ['^$1src/modules/$2/', CONTRACTS] },
    },
    {
      name: 'context-files-belong-to-a-layer',
      severity: 'error',
      comment:
        `ARCHITECTURE §2: every file of a context lives in one of its layers (${LAYERS.join(', ')}) or is its ` +
        '<context>.module.ts. A file elsewhere (src/modules/<context>/helpers/…) would escape every allow-list ' +
        'above; put it in the layer it belongs to.',
      from: { path: `${ROOT}src/` },
      to: { path: `^$1src/modules/[^/]+/(?!(${LAYERS.join('|')})/|[^/]+\\.module\\.ts$)` },
    },
    {
      name: 'platform-allow-list',
      severity: 'error',
      comment:
        'ARCHITECTURE §2: src/platform/ is plumbing every context uses, so it knows none of them — not even ' +
        'their contracts; it may import src/platform/, src/shared/, src/config/, migrations/ (the data source ' +
        'lists them), any npm package and node builtins. Contexts plug in through what they register ' +
        '(providers, decorators, metadata), and src/app.module.ts (the composition root, outside platform) is ' +
        'the one place that names them.',
      from: { path: `${ROOT}src/platform/`, pathNot: SPEC },
      to: allowOnly(['^$1src/(platform|shared|config)/', '^$1migrations/', ANY_PACKAGE], { builtins: true }),
    },
    {
      name: 'config-allow-list',
      severity: 'error',
      comment:
        'src/config/ is read by every layer that needs settings and by main.ts before anything starts, so it is ' +
        'a leaf: it may import only src/config/, npm packages and node builtins — never the platform, the ' +
        'kernel or a context (that would start them while parsing the environment, and invites cycles).',
      from: { path: `${ROOT}src/config/`, pathNot: SPEC },
      to: allowOnly(['^$1src/config/', ANY_PACKAGE], { builtins: true }),
    },
    {
      name: 'migrations-allow-list',
      severity: 'error',
      comment:
        'A migration is history: it must create the same schema in a year as today. It may import only other ' +
        'files in migrations/, the schema helpers in src/platform/persistence/migration-*.ts and typeorm — ' +
        'never an ORM entity, a domain enum or a config value, which change after the migration has shipped. Node builtins are fine (a data migration may need randomUUID).',
      from: { path: `${ROOT}migrations/`, pathNot: SPEC },
      to: allowOnly(['^$1migrations/', '^$1src/platform/persistence/migration-[^/]+\\.ts$', packages('typeorm')], {
        builtins: true,
      }),
    },
    {
      name: 'no-circular',
      severity: 'error',
      comment:
        'A runtime import cycle makes evaluation order matter (ESM TDZ errors: "Cannot access X before ' +
        'initialization", undefined classes in Nest DI / decorator metadata) and welds modules together. ' +
        'Cycles that contain at least one `import type` edge vanish at runtime and are allowed: TypeORM ' +
        'relations between entities are declared that way on purpose (Relation<T> + import type).',
      from: {},
      to: { circular: true, viaOnly: { dependencyTypesNot: ['type-only'] } },
    },
    {
      name: 'not-to-test',
      severity: 'error',
      comment:
        'Production code must not depend on test code (test/ is not shipped). Unit tests beside the code ' +
        '(*.spec.ts) may use test/support builders and fakes.',
      from: { path: `${ROOT}(src|migrations)/`, pathNot: SPEC },
      to: { path: '^$1test/' },
    },
    {
      name: 'not-to-spec',
      severity: 'error',
      comment:
        'Nothing imports a *.spec.ts file: shared test helpers belong in test/support (or a *.fixture.ts), ' +
        "otherwise importing them runs the other file's tests too.",
      from: {},
      to: { path: SPEC },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'The production image installs with `npm ci --omit=dev`: a devDependency (vitest, supertest, ' +
        '@nestjs/testing, …) imported by non-test code in src/ or migrations/ crashes the service at start-up. ' +
        'Type-only imports are erased by tsc and therefore allowed.',
      from: { path: `${ROOT}(src|migrations)/`, pathNot: SPEC },
      to: { dependencyTypes: ['npm-dev'], dependencyTypesNot: ['type-only'] },
    },
    {
      name: 'not-to-unresolvable',
      severity: 'error',
      comment:
        'An import that does not resolve to a file is a typo, a missing dependency or a .js suffix pointing at ' +
        'nothing; it would also make every other rule blind to that edge.',
      from: {},
      to: { couldNotResolve: true },
    },
  ],
  options: {
    doNotFollow: { path: 'node_modules' },
    // Type-only imports (`import type`, imports used only as types) are dependencies too: a domain file that
    // mentions a TypeORM type is coupled to TypeORM even though tsc erases the import.
    tsPreCompilationDeps: true,
    tsConfig: { fileName: 'tsconfig.json' },
    // ESM sources import `./x.js` where only `x.ts` exists. dependency-cruiser retries such imports with the
    // TypeScript extensions itself (like tsc does), so no `extensionAlias` is needed (its schema rejects it);
    // the architecture test checks that such imports resolve to the .ts file.
    enhancedResolveOptions: {
      exportsFields: ['exports'],
      conditionNames: ['import', 'require', 'node', 'default', 'types'],
      extensions: ['.ts', '.js', '.mjs', '.cjs', '.json', '.d.ts'],
      mainFields: ['module', 'main', 'types', 'typings'],
    },
    skipAnalysisNotInRules: true,
    reporterOptions: {
      text: { highlightFocused: true },
    },
  },
};
