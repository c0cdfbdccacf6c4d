// A throwaway world for end-to-end runs: a HOME, a Claude configuration directory with a
// projects tree, a store directory, a diagnostics log, git repositories, and transcripts written
// as hand-made JSONL in Claude Code's real record formats (docs/claude-code.md).
import { randomUUID } from 'node:crypto';
import {
  appendFileSync,
  existsSync,
  mkdirSync,
  mkdtempSync,
  readFileSync,
  rmSync,
  writeFileSync,
} from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { testGit } from '@sessions-db/vitest-config/git';

import { projectDirOf } from '@sessions-db/git-transcript';

import type { DiagnosticsEntry } from '../../src/diagnostics-log.js';

/** One temp world; `env` is the complete environment a hook run gets. */
export interface World {
  readonly root: string;
  readonly home: string;
  readonly claudeHome: string;
  readonly storeDir: string;
  readonly logPath: string;
  readonly eventsPath: string;
  readonly env: Readonly<Record<string, string>>;
  /** `<claudeHome>/sessions`: Claude's registry of running sessions. */
  readonly registryDir: string;
}

/** Create a world in a fresh temp directory. */
export function createWorld(): World {
  const root = mkdtempSync(join(tmpdir(), 'sdb-hook-e2e-'));
  const home = join(root, 'home');
  const claudeHome = join(home, '.claude');
  const storeDir = join(root, 'store');
  const logPath = join(root, 'diagnostics', 'hook.jsonl');
  mkdirSync(join(claudeHome, 'projects'), { recursive: true });
  const env: Record<string, string> = {
    PATH: process.env['PATH'] ?? '/usr/bin:/bin',
    HOME: home,
    XDG_DATA_HOME: join(home, '.local', 'share'),
    CLAUDE_CONFIG_DIR: claudeHome,
    SESSIONS_DB_ROOT: storeDir,
    SESSIONS_DB_LOG: logPath,
    // No background content indexer outliving a test (test/content.e2e.test.ts turns it on).
    SESSIONS_DB_INDEX_CONTENT: '0',
    // Generous on a busy 2-core machine: these tests check what is recorded, not how fast.
    SESSIONS_DB_HOOK_DEADLINE_MS: '20000',
    LANG: 'C.UTF-8',
  };
  return {
    root,
    home,
    claudeHome,
    storeDir,
    logPath,
    eventsPath: join(storeDir, 'sessions-db-events.jsonl'),
    env,
    registryDir: join(claudeHome, 'sessions'),
  };
}

/** Remove a world (best effort: a failed test may have left a read-only directory). */
export function removeWorld(world: World): void {
  rmSync(world.root, { recursive: true, force: true });
}

/** The diagnostics log lines written so far. */
export function readDiagnostics(world: World): DiagnosticsEntry[] {
  if (!existsSync(world.logPath)) return [];
  return readFileSync(world.logPath, 'utf8')
    .split('\n')
    .filter((line) => line.length > 0)
    .map((line) => JSON.parse(line) as DiagnosticsEntry);
}

/** The last diagnostics line (throws when there is none). */
export function lastDiagnostics(world: World): DiagnosticsEntry {
  const entries = readDiagnostics(world);
  const last = entries.at(-1);
  if (last === undefined) throw new Error(`no diagnostics line in ${world.logPath}`);
  return last;
}

/** The events log as text ('' when missing). */
export function readEvents(world: World): string {
  return existsSync(world.eventsPath) ? readFileSync(world.eventsPath, 'utf8') : '';
}

/** The events log's parsed lines; throws when a line is not one complete JSON object. */
export function parseEvents(
  text: string,
): { op: string; stable_id: string; payload: Record<string, unknown> }[] {
  if (text.length > 0 && !text.endsWith('\n'))
    throw new Error('events log ends with a partial line');
  return text
    .split('\n')
    .filter((line) => line.length > 0)
    .map(
      (line) =>
        JSON.parse(line) as { op: string; stable_id: string; payload: Record<string, unknown> },
    );
}

const git = (cwd: string, ...args: string[]): string => testGit(cwd, args);

/** A git repository with one commit on `branch`; returns its directory and HEAD. */
export function createGitRepo(
  world: World,
  name: string,
  branch = 'main',
): { dir: string; head: string } {
  const dir = join(world.root, 'repos', name);
  mkdirSync(dir, { recursive: true });
  git(dir, 'init', '-q', '-b', branch);
  writeFileSync(join(dir, 'README.md'), `# ${name}\n`);
  git(dir, 'add', 'README.md');
  git(dir, 'commit', '-q', '-m', 'initial');
  return { dir, head: git(dir, 'rev-parse', 'HEAD') };
}

/** Where Claude Code keeps the transcript of `csid` started in `cwd`. */
export function transcriptPathFor(world: World, cwd: string, csid: string): string {
  return join(projectDirOf(world.claudeHome, cwd), `${csid}.jsonl`);
}

/**
 * A new Claude session in `cwd` whose transcript (where Claude Code keeps it) holds one turn per
 * prompt; with its SessionStart `startup` payload.
 */
export function newSession(
  world: World,
  cwd: string,
  prompts: readonly string[],
): { csid: string; path: string; payload: string } {
  const session = unwrittenSession(world, cwd);
  writeTranscript(session.path, conversation(session.csid, cwd, prompts));
  return session;
}

/**
 * A new Claude session in `cwd` whose transcript does not exist yet (Claude Code writes it
 * lazily): its id, where its transcript will be, and its SessionStart payload (`startup` unless
 * `source` says otherwise).
 */
export function unwrittenSession(
  world: World,
  cwd: string,
  source = 'startup',
): { csid: string; path: string; payload: string } {
  const csid = randomUUID();
  const path = transcriptPathFor(world, cwd, csid);
  return { csid, path, payload: startPayload(csid, cwd, path, source) };
}

/** One JSONL record of a transcript. */
export type TranscriptRecord = Record<string, unknown>;

let clock = Date.parse('2026-03-01T09:00:00.000Z');
function nextTimestamp(): string {
  clock += 1000;
  return new Date(clock).toISOString();
}

/** The envelope fields of a conversation entry. */
function envelope(
  csid: string,
  cwd: string,
  uuid: string,
  parentUuid: string | null,
): TranscriptRecord {
  return {
    parentUuid,
    isSidechain: false,
    userType: 'external',
    cwd,
    sessionId: csid,
    version: '2.1.240',
    gitBranch: 'main',
    uuid,
    timestamp: nextTimestamp(),
    entrypoint: 'cli',
  };
}

/** A human prompt. */
export function userPrompt(
  csid: string,
  cwd: string,
  parentUuid: string | null,
  text: string,
): TranscriptRecord {
  return {
    ...envelope(csid, cwd, randomUUID(), parentUuid),
    type: 'user',
    message: { role: 'user', content: text },
    promptId: randomUUID(),
    origin: { kind: 'human' },
    permissionMode: 'default',
  };
}

/** An assistant text reply. */
export function assistantReply(
  csid: string,
  cwd: string,
  parentUuid: string,
  text: string,
): TranscriptRecord {
  return {
    ...envelope(csid, cwd, randomUUID(), parentUuid),
    type: 'assistant',
    requestId: `req_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
    message: {
      id: `msg_${randomUUID().replace(/-/g, '').slice(0, 20)}`,
      model: 'claude-sonnet-5',
      role: 'assistant',
      content: [{ type: 'text', text }],
      usage: { input_tokens: 2, output_tokens: 12 },
    },
  };
}

/** A conversation of prompt/reply pairs chained from `parentUuid`. */
export function conversation(
  csid: string,
  cwd: string,
  prompts: readonly string[],
  parentUuid: string | null = null,
): TranscriptRecord[] {
  const records: TranscriptRecord[] = [];
  let parent = parentUuid;
  for (const prompt of prompts) {
    const user = userPrompt(csid, cwd, parent, prompt);
    const reply = assistantReply(csid, cwd, user['uuid'] as string, `Done: ${prompt}`);
    records.push(user, reply);
    parent = reply['uuid'] as string;
  }
  return records;
}

/**
 * What a fork's (or an old client's resume's) new file holds: `origin`'s rows copied with their
 * uuids, under `csid` and with `copy` applied, then one turn per prompt of its own, continuing
 * from the origin's last row.
 */
export function forkTranscript(
  origin: readonly TranscriptRecord[],
  csid: string,
  cwd: string,
  prompts: readonly string[],
  copy: TranscriptRecord = {},
): TranscriptRecord[] {
  const copies = origin.map((row) => ({ ...row, sessionId: csid, ...copy }));
  return [...copies, ...conversation(csid, cwd, prompts, lastUuid(origin))];
}

/** A compaction: the `compact_boundary` (a new root) and the summary row after it. */
export function compaction(csid: string, cwd: string, lastUuid: string): TranscriptRecord[] {
  const boundaryUuid = randomUUID();
  const boundary = {
    ...envelope(csid, cwd, boundaryUuid, null),
    type: 'system',
    subtype: 'compact_boundary',
    logicalParentUuid: lastUuid,
    content: 'Conversation compacted',
    compactMetadata: { trigger: 'manual', preTokens: 155025 },
  };
  const summary = {
    ...envelope(csid, cwd, randomUUID(), boundaryUuid),
    type: 'user',
    isCompactSummary: true,
    isVisibleInTranscriptOnly: true,
    message: {
      role: 'user',
      content: [
        { type: 'text', text: 'This session is being continued from a previous conversation.' },
      ],
    },
  };
  return [boundary, summary];
}

/** The last uuid of a list of records. */
export function lastUuid(records: readonly TranscriptRecord[]): string {
  const uuid = records.at(-1)?.['uuid'];
  if (typeof uuid !== 'string') throw new Error('the last record has no uuid');
  return uuid;
}

/** Write (or append) records as JSONL, creating the directories. */
export function writeTranscript(
  path: string,
  records: readonly TranscriptRecord[],
  append = false,
): void {
  mkdirSync(dirname(path), { recursive: true });
  const text = records.map((record) => `${JSON.stringify(record)}\n`).join('');
  if (append) appendFileSync(path, text);
  else writeFileSync(path, text);
}

/** A hook payload as Claude Code sends it on stdin. */
export function startPayload(
  csid: string,
  cwd: string,
  transcriptPath: string,
  source: string,
  extra: Record<string, unknown> = {},
): string {
  return JSON.stringify({
    session_id: csid,
    transcript_path: transcriptPath,
    cwd,
    hook_event_name: 'SessionStart',
    source,
    ...extra,
  });
}

/** A SessionEnd payload. */
export function endPayload(
  csid: string,
  cwd: string,
  transcriptPath: string,
  reason: string,
): string {
  return JSON.stringify({
    session_id: csid,
    transcript_path: transcriptPath,
    cwd,
    hook_event_name: 'SessionEnd',
    reason,
  });
}
