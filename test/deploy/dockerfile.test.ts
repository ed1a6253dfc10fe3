/**
 * The container image definition: lint-clean, multi-stage, non-root, health-checked, and
 * consistent with the repository (what it copies exists and is not ignored; the files the
 * compiled code reads at runtime are in the image; its runtime imports are production
 * dependencies).
 */
import { existsSync, readFileSync, statSync } from 'node:fs';
import { builtinModules } from 'node:module';
import { dirname, join, posix } from 'node:path';
import { validate, ValidationSeverity, type ValidatorSettings } from 'dockerfile-utils';
import { describe, expect, it } from 'vitest';
import { dockerignore, execForm, parseDockerfile, read, ROOT, walk, type Instruction, type Stage } from './helpers.ts';

const TEXT = read('Dockerfile');
const { global, stages } = parseDockerfile(TEXT);
const runtime = stages.at(-1)!;
const ignored = dockerignore(read('.dockerignore'));

const all = (stage: Stage, keyword: string): Instruction[] => stage.instructions.filter((i) => i.keyword === keyword);
const one = (stage: Stage, keyword: string): Instruction => {
  const found = all(stage, keyword);
  expect(found, `${keyword} in stage ${stage.name ?? stage.from}`).toHaveLength(1);
  return found[0]!;
};
const stageNamed = (name: string): Stage => {
  const s = stages.find((x) => x.name === name);
  if (!s) throw new Error(`no stage named ${name}`);
  return s;
};
const runs = (stage: Stage): string => all(stage, 'RUN').map((i) => i.args).join('\n');

/** Source paths of `COPY` without --from (from the build context); the last word is the destination. */
function contextCopies(stage: Stage): { sources: string[]; dest: string }[] {
  return all(stage, 'COPY')
    .filter((i) => !/--from=/.test(i.args))
    .map((i) => {
      const words = i.args.split(' ').filter((w) => !w.startsWith('--'));
      return { sources: words.slice(0, -1), dest: words.at(-1)! };
    });
}

describe('Dockerfile', () => {
  it('lints clean with dockerfile-utils, every check raised to at least a warning', () => {
    const W = ValidationSeverity.WARNING;
    const settings: ValidatorSettings = {
      deprecatedMaintainer: W,
      directiveCasing: W,
      emptyContinuationLine: W,
      instructionCasing: W,
      instructionCmdMultiple: W,
      instructionEntrypointMultiple: W,
      instructionHealthcheckMultiple: W,
      instructionJSONInSingleQuotes: W,
      instructionWorkdirRelative: W,
    };
    const problems = validate(TEXT, settings).map((d) => `line ${d.range.start.line + 1}: ${typeof d.message === 'string' ? d.message : d.message.value}`);
    expect(problems).toEqual([]);
    // The linter does find problems (guards against a silently broken import or setting).
    expect(validate('FROM node:20\nEXPOSE port\nmaintainer x\n', settings).length).toBeGreaterThanOrEqual(2);
  });

  it('is multi-stage on official Node 20 images, building in one stage and running in a clean one', () => {
    expect(stages.length).toBeGreaterThanOrEqual(2);
    const baseArg = global.find((i) => i.keyword === 'ARG' && i.args.startsWith('NODE_IMAGE='));
    const resolveBase = (from: string) => (baseArg ? from.replace('${NODE_IMAGE}', baseArg.args.slice('NODE_IMAGE='.length)) : from);
    for (const s of stages) expect(resolveBase(s.from)).toMatch(/^node:20(\.\d+)*-(alpine|bookworm-slim)(@sha256:[0-9a-f]{64})?$/);

    const build = stageNamed('build');
    expect(runs(build)).toMatch(/\bnpm ci\b/);
    expect(runs(build)).toMatch(/\bnpm run build\b/);
    const deps = stageNamed('deps');
    expect(runs(deps)).toMatch(/\bnpm ci\b[^\n]*--omit=dev/);
    expect(runs(deps)).toMatch(/--ignore-scripts/);

    // The runtime stage takes dist/ from the build stage and node_modules from the production stage.
    const fromCopies = all(runtime, 'COPY').map((i) => i.args);
    expect(fromCopies.some((a) => /--from=build\s+\S*\/dist\s/.test(a))).toBe(true);
    expect(fromCopies.some((a) => /--from=deps\s+\S*\/node_modules\s/.test(a))).toBe(true);
    expect(runs(runtime)).not.toMatch(/\bnpm\b/);
  });

  it('runs as a numeric, non-root user', () => {
    const user = one(runtime, 'USER').args;
    const m = /^(\d+)(?::(\d+))?$/.exec(user);
    expect(m, `USER ${user} must be numeric (runAsNonRoot can only verify numeric users)`).not.toBeNull();
    expect(Number(m![1])).toBeGreaterThan(0);
    if (m![2] !== undefined) expect(Number(m![2])).toBeGreaterThan(0);
    // USER comes after every RUN of the stage, so nothing the image ships is owned by it.
    const userLine = one(runtime, 'USER').line;
    expect(all(runtime, 'RUN').every((r) => r.line < userLine)).toBe(true);
  });

  it('exposes 9551, health-checks /-/healthy there, and starts the compiled CLI in exec form', () => {
    expect(one(runtime, 'EXPOSE').args).toBe('9551');

    const hc = one(runtime, 'HEALTHCHECK').args;
    const cmd = execForm(hc.replace(/^(--\S+\s+)*CMD\s+/, ''));
    expect(cmd, 'HEALTHCHECK CMD in exec form').toBeDefined();
    expect(cmd![0]).toBe('node');
    // The script it runs is copied in and defaults to /-/healthy on the exposed port.
    const script = cmd![1]!;
    const copied = contextCopies(runtime).find((c) => c.dest === script || posix.join('/app', c.dest) === script);
    expect(copied, `${script} is copied into the image`).toBeDefined();
    expect(readFileSync(join(ROOT, copied!.sources[0]!), 'utf8')).toContain("'http://127.0.0.1:9551/-/healthy'");
    expect(hc).toMatch(/--timeout=\d+s/);
    // The script is an ES module: it sits in /app beside the copied package.json ("type": "module").
    expect(posix.dirname(script)).toBe('/app');
    expect(contextCopies(runtime).some((c) => c.sources.includes('package.json') && ['./', '.', '/app', '/app/'].includes(c.dest))).toBe(true);
    expect((JSON.parse(read('package.json')) as { type?: string }).type).toBe('module');

    const entrypoint = execForm(one(runtime, 'ENTRYPOINT').args);
    expect(entrypoint).toEqual(['node', '/app/dist/cli/main.js']);
    // dist/ mirrors src/ (tsconfig.build.json: rootDir src, outDir dist).
    const build = JSON.parse(read('tsconfig.build.json')) as { compilerOptions: { rootDir: string; outDir: string } };
    expect(build.compilerOptions).toMatchObject({ rootDir: 'src', outDir: 'dist' });
    expect(existsSync(join(ROOT, 'src/cli/main.ts'))).toBe(true);
    expect(one(runtime, 'WORKDIR').args).toBe('/app');

    const cmdArgs = execForm(one(runtime, 'CMD').args);
    expect(cmdArgs).toEqual(['serve', '--config', '/etc/flink-lens/config.yaml']);
  });

  it('carries OCI image labels', () => {
    const labels = all(runtime, 'LABEL').map((i) => i.args).join(' ');
    for (const key of ['title', 'description', 'licenses', 'version', 'revision', 'created', 'source']) {
      expect(labels).toMatch(new RegExp(`org\\.opencontainers\\.image\\.${key}=`));
    }
    const pkg = JSON.parse(read('package.json')) as { license: string; version: string };
    expect(labels).toContain(`org.opencontainers.image.licenses="${pkg.license}"`);
    // The default VERSION build argument follows package.json.
    expect(all(runtime, 'ARG').map((i) => i.args)).toContain(`VERSION=${pkg.version}`);
  });

  it('copies only files that exist and that .dockerignore lets into the build context', () => {
    for (const stage of stages) {
      for (const { sources } of contextCopies(stage)) {
        for (const src of sources) {
          expect(existsSync(join(ROOT, src)), `${src} exists`).toBe(true);
          expect(ignored(src), `${src} is in the build context`).toBe(false);
          // git keeps no empty directories: a copied directory needs files that reach the context.
          if (statSync(join(ROOT, src)).isDirectory()) {
            expect(walk(src).filter((f) => !ignored(f)).length, `${src} has files`).toBeGreaterThan(0);
          }
        }
      }
    }
    // Inside a copied directory, sources are in the context too.
    expect(ignored('src/cli/main.ts')).toBe(false);
  });

  it('.dockerignore keeps local state and bulky directories out of the build context', () => {
    for (const path of ['node_modules/fastify/package.json', 'dist/cli/main.js', '.git/HEAD', 'coverage/index.html', 'bench/out/result.json', 'test/deploy/helpers.ts', 'src/x/node_modules/y.js']) {
      expect(ignored(path), path).toBe(true);
    }
  });

  it('ships every file the compiled code reads relative to itself', () => {
    // `new URL('<relative>', import.meta.url)` in src/X.ts resolves from dist/X.js in the image.
    const shipped = [...contextCopies(runtime).flatMap((c) => c.sources), 'dist', 'node_modules'];
    const reads: string[] = [];
    for (const file of walk('src').filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      for (const m of text.matchAll(/new URL\(\s*[`'"]([^`'"]+)[`'"]\s*,\s*import\.meta\.url\s*\)/g)) {
        const rel = m[1]!.split('${')[0]!;
        const inDist = posix.join(dirname(file.replace(/^src\//, 'dist/')), rel);
        reads.push(inDist);
        expect(inDist.startsWith('..'), `${file} reads ${m[1]} outside the image root`).toBe(false);
        expect(
          shipped.some((s) => inDist === s || inDist.startsWith(`${s}/`)),
          `${file} reads ${inDist}, which the runtime stage does not copy`,
        ).toBe(true);
      }
    }
    expect(reads).toContain('package.json');
  });

  it('imports at runtime only node built-ins and production dependencies that the image keeps', () => {
    const pkg = JSON.parse(read('package.json')) as { dependencies: Record<string, string> };
    const pruned = [...runs(stageNamed('deps')).matchAll(/node_modules\/((?:@[^/\s]+)|[^/.\s][^/\s]*)(?=\s|$)/g)].map((m) => m[1]!);
    expect(pruned).toContain('tsx');
    const builtins = new Set(builtinModules);
    for (const file of walk('src').filter((f) => f.endsWith('.ts'))) {
      const text = readFileSync(join(ROOT, file), 'utf8');
      const specifiers = [
        ...[...text.matchAll(/^\s*(?:import|export)\s+(?!type\s)[^'"`;]*?\bfrom\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
        ...[...text.matchAll(/^\s*import\s+['"]([^'"]+)['"]/gm)].map((m) => m[1]!),
        ...[...text.matchAll(/\bimport\(\s*['"]([^'"]+)['"]\s*\)/g)].map((m) => m[1]!),
      ];
      for (const spec of specifiers.filter((s) => !s.startsWith('.'))) {
        const bare = spec.replace(/^node:/, '');
        if (spec.startsWith('node:') || builtins.has(bare)) continue;
        const name = spec.startsWith('@') ? spec.split('/').slice(0, 2).join('/') : spec.split('/')[0]!;
        expect(pkg.dependencies[name], `${file} imports ${spec}: not a production dependency`).toBeDefined();
        expect(pruned.some((p) => p === name || name.startsWith(`${p}/`)), `${file} imports ${spec}, which the image prunes`).toBe(false);
      }
    }
  });
});
