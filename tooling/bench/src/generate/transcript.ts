/**
 * Write a Claude Code transcript of a chosen size in the real format (docs/claude-code.md):
 * a file-history snapshot and mode rows, a human prompt at the root, then turns of assistant
 * tool calls, tool results and answers chained by `uuid`/`parentUuid`, `turn_duration` system
 * rows, follow-up prompts, an `ai-title` near the end and a closing `last-prompt` bookmark.
 */
import { closeSync, mkdirSync, openSync, writeSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { encodeProjectDir, projectsRoot } from '@sessions-db/git-transcript';

import { createPrng } from './prng.js';
import type { Prng } from './prng.js';
import { pickAiTitle, pickPrompt } from './vocabulary.js';

/** What to write. */
export interface TranscriptSpec {
  /** Claude Code's configuration directory (the file goes under its `projects/`). */
  readonly claudeHome: string;
  readonly cwd: string;
  readonly sessionId: string;
  /** Size to reach; the file ends a little above it (one closing turn). */
  readonly targetBytes: number;
  readonly seed?: number;
  /** Epoch ms of the first record (default 2026-03-02T09:00:00Z). */
  readonly startTime?: number;
  readonly branch?: string;
}

/** What was written. */
export interface WrittenTranscript {
  readonly path: string;
  readonly bytes: number;
  readonly records: number;
  readonly firstUuid: string;
  readonly lastUuid: string;
  readonly aiTitle: string;
  /** Epoch ms of the last record (what a real file's modification time would be). */
  readonly lastTime: number;
}

const VERSION = '2.1.240';
const MODEL = 'claude-sonnet-4-5';
const FLUSH_BYTES = 1024 * 1024;

const CODE_LINES: readonly string[] = [
  "import { readFileSync } from 'node:fs';",
  'export function parseConfig(text: string): Config {',
  '  const lines = text.split(/\\r?\\n/);',
  '  for (const line of lines) {',
  "    if (line.trim().startsWith('#')) continue;",
  "    const [key, value] = line.split('=', 2);",
  "    result[key.trim()] = value?.trim() ?? '';",
  '  }',
  '  return result;',
  '}',
  '// retry with exponential backoff, capped at 30 s',
  'const delay = Math.min(30_000, 2 ** attempt * 100);',
  'await new Promise((resolve) => setTimeout(resolve, delay));',
  'throw new UploadError(`upload failed after ${attempt} attempts`, { cause });',
  "describe('upload', () => {",
  "  it('retries a 503 three times', async () => {",
  '    expect(await upload(file)).toEqual({ ok: true });',
  '  });',
  '});',
];

const TOOLS: readonly string[] = ['Read', 'Grep', 'Bash', 'Edit', 'Glob'];

const ANSWERS: readonly string[] = [
  'I found the cause: the retry loop swallows the last error, so the caller sees a timeout instead of the real failure.',
  'The test is flaky because it depends on wall-clock time. I will inject a clock instead.',
  'Done. I updated the handler, added a regression test and ran the suite: all 214 tests pass.',
  'The migration needs a backfill step first; otherwise the NOT NULL constraint fails on old rows.',
  'Let me look at how the cache key is built before changing anything.',
];

/** `<claudeHome>/projects/<encoded cwd>/<sessionId>.jsonl`, where Claude Code keeps the transcript. */
export function transcriptPathFor(claudeHome: string, cwd: string, sessionId: string): string {
  return join(projectsRoot(claudeHome), encodeProjectDir(cwd), `${sessionId}.jsonl`);
}

function fileText(prng: Prng, lines: number): string {
  const out: string[] = [];
  for (let i = 0; i < lines; i += 1)
    out.push(`${String(i + 1).padStart(4)}\t${prng.pick(CODE_LINES)}`);
  return out.join('\n');
}

function msgId(prng: Prng): string {
  return `msg_01${prng.hex(22)}`;
}

/**
 * Write the transcript described by `spec` (parent directories created, file replaced).
 *
 * @throws Error on a file-system error.
 */
export function writeTranscript(spec: TranscriptSpec): WrittenTranscript {
  const prng = createPrng(spec.seed ?? 7);
  const path = transcriptPathFor(spec.claudeHome, spec.cwd, spec.sessionId);
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  const fd = openSync(path, 'w', 0o600);
  const branch = spec.branch ?? 'main';
  const sessionId = spec.sessionId;
  let time = spec.startTime ?? Date.UTC(2026, 2, 2, 9, 0, 0);
  let bytes = 0;
  let records = 0;
  let chunks: string[] = [];
  let pending = 0;
  const flush = (): void => {
    if (chunks.length > 0) writeSync(fd, chunks.join(''));
    chunks = [];
    pending = 0;
  };
  const write = (record: Record<string, unknown>): void => {
    const line = `${JSON.stringify(record)}\n`;
    chunks.push(line);
    pending += line.length;
    bytes += Buffer.byteLength(line);
    records += 1;
    if (pending >= FLUSH_BYTES) flush();
  };
  const stamp = (): string => {
    time += prng.range(300, 20_000);
    return new Date(time).toISOString();
  };
  const envelope = (parentUuid: string | null, type: string): Record<string, unknown> => ({
    parentUuid,
    isSidechain: false,
    userType: 'external',
    cwd: spec.cwd,
    sessionId,
    version: VERSION,
    gitBranch: branch,
    type,
  });

  try {
    const firstPrompt = pickPrompt(prng);
    const aiTitle = pickAiTitle(prng);
    const snapshotId = prng.uuid();
    write({
      type: 'file-history-snapshot',
      messageId: snapshotId,
      snapshot: {
        messageId: snapshotId,
        trackedFileBackups: {},
        timestamp: new Date(time).toISOString(),
      },
      isSnapshotUpdate: false,
    });
    write({ type: 'permission-mode', permissionMode: 'default', sessionId });
    const firstUuid = prng.uuid();
    let prev = firstUuid;
    write({
      ...envelope(null, 'user'),
      message: { role: 'user', content: firstPrompt },
      uuid: firstUuid,
      timestamp: stamp(),
      entrypoint: 'cli',
      promptId: prng.uuid(),
      origin: { kind: 'human' },
      permissionMode: 'default',
    });

    const assistant = (content: Record<string, unknown>, id: string, requestId: string): string => {
      const uuid = prng.uuid();
      write({
        ...envelope(prev, 'assistant'),
        uuid,
        timestamp: stamp(),
        requestId,
        effort: 'high',
        message: {
          id,
          model: MODEL,
          role: 'assistant',
          content: [content],
          usage: {
            input_tokens: prng.range(1, 40),
            cache_read_input_tokens: prng.range(10_000, 150_000),
            cache_creation_input_tokens: prng.range(0, 5000),
            output_tokens: prng.range(20, 2000),
          },
        },
      });
      prev = uuid;
      return uuid;
    };

    let turn = 0;
    let titled = false;
    // the closing answer and bookmark add about 1.3 KB; the title lands within the last 64 KiB
    const closingBytes = 1300;
    const titleAt = spec.targetBytes - Math.min(64 * 1024, spec.targetBytes / 4);
    while (bytes < spec.targetBytes - closingBytes) {
      turn += 1;
      const requestId = `req_011${prng.hex(21)}`;
      const messageId = msgId(prng);
      assistant({ type: 'text', text: prng.pick(ANSWERS) }, messageId, requestId);
      const toolId = `toolu_01${prng.hex(22)}`;
      const tool = prng.pick(TOOLS);
      const filePath = `src/${prng.pick(['upload', 'auth', 'cache', 'billing', 'cli'])}/${prng.pick(['index', 'retry', 'config', 'handler'])}.ts`;
      const toolUse = assistant(
        {
          type: 'tool_use',
          id: toolId,
          name: tool,
          input: tool === 'Bash' ? { command: 'pnpm test --run' } : { file_path: filePath },
        },
        messageId,
        requestId,
      );
      const resultUuid = prng.uuid();
      // shorter file reads near the end, so the file lands close to the target size
      const room = Math.floor((spec.targetBytes - closingBytes - bytes - 3000) / 48);
      const text = fileText(prng, Math.max(3, Math.min(prng.range(10, 120), room)));
      write({
        ...envelope(prev, 'user'),
        message: {
          role: 'user',
          content: [{ type: 'tool_result', tool_use_id: toolId, content: text }],
        },
        uuid: resultUuid,
        timestamp: stamp(),
        toolUseResult: { type: 'text', file: { filePath, numLines: text.split('\n').length } },
        sourceToolAssistantUUID: toolUse,
      });
      prev = resultUuid;
      assistant({ type: 'text', text: prng.pick(ANSWERS) }, msgId(prng), `req_011${prng.hex(21)}`);
      const systemUuid = prng.uuid();
      write({
        ...envelope(prev, 'system'),
        subtype: 'turn_duration',
        durationMs: prng.range(2000, 120_000),
        isMeta: true,
        uuid: systemUuid,
        timestamp: stamp(),
      });
      prev = systemUuid;
      if (!titled && bytes >= titleAt) {
        write({ type: 'ai-title', aiTitle, sessionId });
        titled = true;
      }
      if (turn % 4 === 0) {
        const promptUuid = prng.uuid();
        write({
          ...envelope(prev, 'user'),
          message: { role: 'user', content: pickPrompt(prng) },
          uuid: promptUuid,
          timestamp: stamp(),
          entrypoint: 'cli',
          promptId: prng.uuid(),
          origin: { kind: 'human' },
          permissionMode: 'default',
        });
        prev = promptUuid;
      }
    }
    if (!titled) write({ type: 'ai-title', aiTitle, sessionId });
    const lastUuid = assistant(
      { type: 'text', text: prng.pick(ANSWERS) },
      msgId(prng),
      `req_011${prng.hex(21)}`,
    );
    write({ type: 'last-prompt', lastPrompt: firstPrompt, leafUuid: lastUuid, sessionId });
    flush();
    return { path, bytes, records, firstUuid, lastUuid, aiTitle, lastTime: time };
  } finally {
    closeSync(fd);
  }
}
