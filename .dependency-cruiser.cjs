// Architecture rules for Orderly (docs: ARCHITECTURE.md §1 "dependencies point inward" and §4 "contexts never
// import each other's internals"). `npm run lint:arch` runs them over src/ and CI fails on any `error`.
// test/arch/architecture-rules.spec.ts proves each rule fires on a violating fixture and stays quiet on a
// compliant one — change a rule only together with that test.
//
// How the paths are written:
// - Every rule that looks at src/ starts its `from.path` with ROOT, the capture group `^(|.*/)`. For the
//   real tree it captures "" (paths look like `src/modules/…`); for the test fixtures it captures their folder
//   (`test/arch/.fixtures-x/case/`), so the same rules run unchanged against the fixtures.
// - The `to` side repeats that prefix as `$1` so a rule only compares files of the same tree, and `$2` is the
//   bounded context (or layer) captured from the `from` path. Capture groups must always participate in the
//   match: dependency-cruiser drops groups that matched nothing, which would shift `$2` into `$1`.
// - npm packages resolve to `node_modules/<name>/…` and node builtins to their bare name (`node:crypto`).

/** Start of every `from.path`: captures the tree's root folder as $1 ("" for the real src/). */
const ROOT = '^(|.*/)';

/** Frameworks and drivers that belong in infrastructure/interface, never in application code. */
const ADAPTER_PACKAGES = [
  'typeorm',
  'mysql2',
  'ioredis',
  'fastify',
  'class-validator',
  'class-transformer',
  '@nestjs/swagger',
  '@nestjs/typeorm',
  '@nestjs/platform-fastify',
];
const escapeRe = (s) => s.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');
const ADAPTER_PACKAGES_RE = `(^|/)node_modules/(${ADAPTER_PACKAGES.map(escapeRe).join('|')})/`;

/** @type {import('dependency-cruiser').IConfiguration} */
module.exports = {
  forbidden: [
    {
      name: 'domain-is-pure',
      severity: 'error',
      comment:
        "ARCHITECTURE §1: the domain (a context's domain/ and src/shared/domain/) imports nothing but " +
        'src/shared/domain/ and its own domain/ folder — no npm package (no NestJS, TypeORM, class-validator), ' +
        'no node builtin (time and ids come from injected ports), no other layer. Type-only imports count too: ' +
        'a domain that names an ORM type is already coupled to it.',
      // $2 is either `modules/<context>` or `shared`.
      // Unit tests beside the code may use test tooling (fast-check, fakes); the rule is about production code.
      from: { path: `${ROOT}src/(modules/[^/]+|shared)/domain/`, pathNot: '\\.spec\\.ts$' },
      to: { pathNot: '^$1src/(shared|$2)/domain/' },
    },
    {
      name: 'application-no-adapters',
      severity: 'error',
      comment:
        'ARCHITECTURE §1: application code (handlers, ports) depends on the domain, src/shared and other ' +
        "contexts' contracts only. Adapters implement its ports, not the other way round: no infrastructure/ " +
        'or interface/ folder of any context, no <context>.module.ts (the composition root binds ports to ' +
        'adapters), no src/platform/ plumbing, no ORM/driver/HTTP/validation packages. ' +
        '@nestjs/common and @nestjs/cqrs (decorators, buses) are fine.',
      from: { path: `${ROOT}src/modules/[^/]+/application/`, pathNot: '\\.spec\\.ts$' },
      to: {
        path: [
          '^$1src/modules/[^/]+/(infrastructure|interface)/',
          '^$1src/modules/[^/]+/[^/]+\\.module\\.ts$',
          '^$1src/platform/',
          ADAPTER_PACKAGES_RE,
        ],
      },
    },
    {
      name: 'contexts-talk-through-contracts',
      severity: 'error',
      comment:
        "ARCHITECTURE §2/§4: another context's contracts/ folder (integration events, facade interface + token) " +
        'is the only part of it a context may import; its domain, application, infrastructure, interface and ' +
        'module file are private, so each context can change them without breaking the others.',
      // $2 is the importing context.
      from: { path: `${ROOT}src/modules/([^/]+)/` },
      to: {
        path: '^$1src/modules/',
        pathNot: ['^$1src/modules/$2/', '^$1src/modules/[^/]+/contracts/'],
      },
    },
    {
      name: 'contracts-are-lean',
      severity: 'error',
      comment:
        "A context's contracts/ are imported by other contexts; if they pulled in their own application, " +
        'infrastructure, interface or module file, every consumer would transitively depend on those internals ' +
        '(and on the frameworks behind them), which is what contexts-talk-through-contracts exists to prevent.',
      from: { path: `${ROOT}src/modules/([^/]+)/contracts/` },
      to: {
        path: ['^$1src/modules/$2/(application|infrastructure|interface)/', '^$1src/modules/$2/[^/]+\\.module\\.ts$'],
      },
    },
    {
      name: 'shared-kernel-is-context-free',
      severity: 'error',
      comment:
        'ARCHITECTURE §2: src/shared (kernel) and src/platform (plumbing) are used by every context, so they may ' +
        'not know any of them — not even their contracts. Otherwise adding or changing a context ripples into ' +
        'the code all contexts share, and cycles between contexts appear through the kernel.',
      from: { path: `${ROOT}src/(shared|platform)/` },
      to: { path: '^$1src/modules/' },
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
      from: { path: `${ROOT}src/`, pathNot: '\\.spec\\.ts$' },
      to: { path: '^$1test/' },
    },
    {
      name: 'not-to-spec',
      severity: 'error',
      comment:
        'Nothing imports a *.spec.ts file: shared test helpers belong in test/support (or a *.fixture.ts), ' +
        "otherwise importing them runs the other file's tests too.",
      from: {},
      to: { path: '\\.spec\\.ts$' },
    },
    {
      name: 'not-to-dev-dep',
      severity: 'error',
      comment:
        'The production image installs with `npm ci --omit=dev`: a devDependency (vitest, supertest, ' +
        '@nestjs/testing, …) imported by non-test code in src/ crashes the service at start-up. ' +
        'Type-only imports are erased by tsc and therefore allowed.',
      from: { path: `${ROOT}src/`, pathNot: '\\.spec\\.ts$' },
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
