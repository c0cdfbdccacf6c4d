#!/usr/bin/env node
// Publish smoke test: pack every publishable package with pnpm, lint each tarball with publint and
// @arethetypeswrong/cli, install all tarballs together with npm into a temporary project, then run
// `sessions-db --version`, send `sessions-db mcp` an initialize, feed `sessions-db-hook` a
// SessionStart payload and read it back with show, find and tree (each its own bundle), import
// each library, check that every shipped source map points at shipped files, and type-check a
// small TypeScript consumer (skipLibCheck off). Exits non-zero on the first failure. Run after
// `pnpm build`.
import { spawnSync } from 'node:child_process';
import {
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  readdirSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

const repo = resolve(dirname(fileURLToPath(import.meta.url)), '../..');
const LIBRARIES = ['event-log', 'projection', 'identity', 'git-transcript', 'content', 'store'];
const PACKAGES = [...LIBRARIES.map((name) => `packages/${name}`), 'apps/hook', 'apps/cli'];
const PNPM = ['--yes', 'pnpm@10.34.9'];

function run(command, args, options = {}) {
  const result = spawnSync(command, args, { encoding: 'utf8', ...options });
  if (result.status !== 0) {
    process.stderr.write(`${result.stdout ?? ''}${result.stderr ?? ''}`);
    throw new Error(`${command} ${args.join(' ')} exited with ${result.status ?? result.signal}`);
  }
  return result.stdout;
}

function step(name) {
  process.stdout.write(`== ${name}\n`);
}

const work = mkdtempSync(join(tmpdir(), 'sdb-pack-smoke-'));
try {
  step('pack');
  const tarballs = join(work, 'tarballs');
  mkdirSync(tarballs);
  for (const dir of PACKAGES) {
    run('npx', [...PNPM, 'pack', '--pack-destination', tarballs], { cwd: join(repo, dir) });
  }
  const packed = readdirSync(tarballs).map((file) => join(tarballs, file));

  step('publint and attw');
  const bin = (name) => join(repo, 'node_modules', '.bin', name);
  for (const tarball of packed) {
    run(bin('publint'), ['run', tarball, '--strict']);
    // Node 16 resolution cannot read `exports`-only ESM packages: not a target (engines ≥ 20.19).
    run(bin('attw'), [tarball, '--profile', 'esm-only', '--format', 'table-flipped']);
  }

  step('npm install of every tarball');
  const project = join(work, 'project');
  mkdirSync(project);
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'sdb-consumer', private: true, type: 'module' }, null, 2),
  );
  run('npm', ['install', '--no-audit', '--no-fund', '--loglevel=error', ...packed], {
    cwd: project,
  });

  step('sessions-db --version');
  const cliVersion = JSON.parse(readFileSync(join(repo, 'apps/cli/package.json'), 'utf8')).version;
  const version = run(join(project, 'node_modules/.bin/sessions-db'), ['--version']).trim();
  if (version !== cliVersion) throw new Error(`sessions-db --version printed ${version}`);

  step('sessions-db mcp (its own bundle) answers initialize');
  const mcp = spawnSync(join(project, 'node_modules/.bin/sessions-db'), ['mcp'], {
    input: `${JSON.stringify({
      jsonrpc: '2.0',
      id: 1,
      method: 'initialize',
      params: {
        protocolVersion: '2025-06-18',
        capabilities: {},
        clientInfo: { name: 'pack-smoke', version: '0' },
      },
    })}\n`,
    encoding: 'utf8',
    env: { ...process.env, SESSIONS_DB_ROOT: join(work, 'mcp-store') },
  });
  if (mcp.status !== 0 || !mcp.stdout.includes('"serverInfo":{"name":"sessions-db"'))
    throw new Error(`sessions-db mcp: exit ${mcp.status}\n${mcp.stdout}${mcp.stderr}`);

  step('sessions-db-hook on a SessionStart payload');
  const store = join(work, 'store');
  const claude = join(work, 'claude');
  mkdirSync(claude);
  const sessionId = '6f1d2c3b-4a59-4e8f-9d0c-1b2a3c4d5e6f';
  const hook = spawnSync(join(project, 'node_modules/.bin/sessions-db-hook'), [], {
    input: JSON.stringify({
      hook_event_name: 'SessionStart',
      session_id: sessionId,
      source: 'startup',
      cwd: work,
    }),
    encoding: 'utf8',
    env: { ...process.env, SESSIONS_DB_ROOT: store, CLAUDE_CONFIG_DIR: claude },
  });
  if (hook.status !== 0 || hook.stdout !== '' || hook.stderr !== '')
    throw new Error(
      `sessions-db-hook: exit ${hook.status}, stdout ${hook.stdout}, stderr ${hook.stderr}`,
    );
  const log = readFileSync(join(store, 'sessions-db-events.jsonl'), 'utf8');
  if (!log.includes(sessionId)) throw new Error('the hook recorded nothing');
  const found = run(join(project, 'node_modules/.bin/sessions-db'), [
    '--store',
    store,
    'show',
    sessionId,
    '--json',
  ]);
  if (!found.includes(sessionId))
    throw new Error('sessions-db show does not find the recorded session');
  // Each command runs from its own bundle (dist/cli-<command>.cjs): find and tree through theirs.
  const stableId = JSON.parse(found).session.stable_id;
  for (const command of [['find'], ['tree', sessionId]]) {
    const out = run(join(project, 'node_modules/.bin/sessions-db'), [
      '--store',
      store,
      ...command,
      '--json',
    ]);
    if (!out.includes(stableId))
      throw new Error(`sessions-db ${command[0]} does not find the recorded session`);
  }

  step('import each library');
  for (const name of LIBRARIES) {
    const count = run(
      process.execPath,
      [
        '--input-type=module',
        '-e',
        `const m = await import('@sessions-db/${name}'); console.log(Object.keys(m).length);`,
      ],
      { cwd: project },
    ).trim();
    if (!(Number(count) > 0)) throw new Error(`@sessions-db/${name} exports nothing`);
  }

  step('source maps point at shipped files');
  const scope = join(project, 'node_modules/@sessions-db');
  let maps = 0;
  for (const pkg of readdirSync(scope)) {
    for (const file of walk(join(scope, pkg))) {
      if (!file.endsWith('.map')) continue;
      maps += 1;
      const map = JSON.parse(readFileSync(file, 'utf8'));
      for (const source of map.sources ?? []) {
        if (!existsSync(resolve(dirname(file), map.sourceRoot ?? '', source)))
          throw new Error(`${file} points at ${source}, which is not shipped`);
      }
    }
  }
  process.stdout.write(`   ${maps} source maps checked\n`);

  step('a TypeScript consumer type-checks');
  writeFileSync(
    join(project, 'consumer.ts'),
    `import { newEvent, parseLog, MAX_EVENT_BYTES } from '@sessions-db/event-log';
import type { EventEnvelope } from '@sessions-db/event-log/types';
import { foldEvents, pickLabel } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import { computeFingerprints } from '@sessions-db/identity';
import { sanitizeFirstPrompt, readTranscriptMeta } from '@sessions-db/git-transcript';
import { createMemoryStore, resolveStore } from '@sessions-db/store';
import type { SessionsStore, ImportSummary } from '@sessions-db/store';
import { parseHookJson } from '@sessions-db/hook';
import { createCli, createDeps } from '@sessions-db/cli';

const event: EventEnvelope = newEvent({ op: 'alias_set', stable_id: 'sess_x', payload: { alias: 'a' } });
const parsed = parseLog(JSON.stringify(event) + '\\n');
const records: SessionRecord[] = Object.values(foldEvents(parsed.events).projection.sessions);
const label: string | null = records[0] === undefined ? null : pickLabel(records[0]).label;
const fingerprints = computeFingerprints({ sanitizedPrompt: sanitizeFirstPrompt('hi'), firstUuid: null });
const store: SessionsStore = createMemoryStore();
const summary: ImportSummary | null = null;
export const values = [MAX_EVENT_BYTES, label, fingerprints, store, summary, resolveStore, readTranscriptMeta, parseHookJson, createCli, createDeps];
`,
  );
  writeFileSync(
    join(project, 'tsconfig.json'),
    JSON.stringify(
      {
        compilerOptions: {
          target: 'ES2022',
          module: 'NodeNext',
          moduleResolution: 'NodeNext',
          strict: true,
          exactOptionalPropertyTypes: true,
          skipLibCheck: false,
          noEmit: true,
          types: ['node'],
          typeRoots: [join(repo, 'node_modules/@types')],
        },
        files: ['consumer.ts'],
      },
      null,
      2,
    ),
  );
  run(process.execPath, [join(repo, 'node_modules/typescript/bin/tsc'), '-p', project]);
  step('ok');
} finally {
  rmSync(work, { recursive: true, force: true });
}

function* walk(dir) {
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.name === 'node_modules') continue;
    const path = join(dir, entry.name);
    if (entry.isDirectory()) yield* walk(path);
    else yield path;
  }
}
