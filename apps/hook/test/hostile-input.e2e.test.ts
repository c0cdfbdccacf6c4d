// Hostile input and a hostile machine: whatever happens, the hook exits 0, prints nothing,
// corrupts nothing, and its diagnostics log says why.
import { execFileSync, spawn } from 'node:child_process';
import { randomUUID } from 'node:crypto';
import {
  chmodSync,
  closeSync,
  mkdirSync,
  openSync,
  readdirSync,
  readFileSync,
  realpathSync,
  rmSync,
  writeFileSync,
  writeSync,
} from 'node:fs';
import { join } from 'node:path';
import Database from 'better-sqlite3';

import { afterAll, afterEach, beforeAll, beforeEach, describe, expect, it } from 'vitest';

import { HOOK_BIN, assertBuilt, runHookProcess } from './support/hook-process.js';
import type { HookExit } from './support/hook-process.js';
import { allSessions, sessionOf } from './support/store-view.js';
import {
  conversation,
  createGitRepo,
  createWorld,
  lastDiagnostics,
  newSession,
  parseEvents,
  readEvents,
  removeWorld,
  startPayload,
  transcriptPathFor,
  unwrittenSession,
  writeTranscript,
} from './support/world.js';
import type { World } from './support/world.js';

// One world for the file: each test starts from the events log the previous ones left.
let world: World;
let repoDir: string;
/** The events log before the test: every hostile run must leave it unchanged or valid. */
let baseline: string;

beforeAll(async () => {
  assertBuilt();
  world = createWorld();
  repoDir = createGitRepo(world, 'app').dir;
  expectSilentExit(await hook(newSession(world, repoDir, ['set up the baseline session']).payload));
  expect(parseEvents(readEvents(world))).toHaveLength(1);
});
beforeEach(() => {
  baseline = readEvents(world);
});
afterAll(() => removeWorld(world));

function hook(input: string | Buffer | null, env: Record<string, string> = {}): Promise<HookExit> {
  return runHookProcess(input, { env: { ...world.env, ...env }, cwd: world.root });
}

function expectSilentExit(exit: HookExit): void {
  expect(exit).toEqual({ code: 0, signal: null, stdout: '', stderr: '' });
}

function expectLogUnchanged(): void {
  expect(readEvents(world)).toBe(baseline);
}

/** The log still starts with the baseline and every line is one complete JSON event. */
function expectLogValid(): void {
  const now = readEvents(world);
  expect(now.startsWith(baseline)).toBe(true);
  expect(() => parseEvents(now)).not.toThrow();
}

const isRoot = process.getuid?.() === 0;
const scriptAvailable = (() => {
  if (process.platform !== 'linux') return false;
  try {
    execFileSync('script', ['--version'], { stdio: 'ignore' });
    return true;
  } catch {
    return false;
  }
})();

describe('hostile stdin', () => {
  it('empty stdin: skipped', async () => {
    expectSilentExit(await hook(''));
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'skipped',
      detail: 'no session id',
      notes: expect.arrayContaining(['no stdin payload (empty)']),
    });
    expectLogUnchanged();
  });

  it('stdin at end of file (/dev/null): skipped', async () => {
    expectSilentExit(await hook(null));
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'skipped', detail: 'no session id' });
    expectLogUnchanged();
  });

  it.skipIf(!scriptAvailable)(
    'a TTY on stdin is never read (run under script(1); skipped without it)',
    async () => {
      const quote = (text: string): string => `'${text.replace(/'/g, `'\\''`)}'`;
      const exit = await new Promise<HookExit>((resolve, reject) => {
        const child = spawn(
          'script',
          ['-qec', `${quote(process.execPath)} ${quote(HOOK_BIN)}`, '/dev/null'],
          {
            env: { ...world.env },
            cwd: world.root,
            stdio: ['ignore', 'pipe', 'pipe'],
          },
        );
        let stdout = '';
        let stderr = '';
        child.stdout.setEncoding('utf8').on('data', (chunk: string) => (stdout += chunk));
        child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
        child.on('error', reject);
        child.on('close', (code, signal) => resolve({ code, signal, stdout, stderr }));
      });
      // script(1) copies everything the hook writes to its terminal onto its own stdout.
      expectSilentExit(exit);
      expect(lastDiagnostics(world)).toMatchObject({
        outcome: 'skipped',
        notes: expect.arrayContaining(['no stdin payload (tty)']),
      });
      expectLogUnchanged();
    },
  );

  it('invalid JSON: skipped', async () => {
    expectSilentExit(
      await hook(`{"session_id":"${randomUUID()}","hook_event_name":"SessionStart",`),
    );
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'skipped',
      notes: expect.arrayContaining(['no stdin payload (invalid_json)']),
    });
    expectLogUnchanged();
  });

  it('a 10 MB payload is drained and ignored', async () => {
    const csid = randomUUID();
    const payload = JSON.stringify({
      session_id: csid,
      cwd: repoDir,
      hook_event_name: 'SessionStart',
      source: 'startup',
      filler: 'x'.repeat(10 * 1024 * 1024),
    });
    expectSilentExit(await hook(payload));
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'skipped',
      notes: expect.arrayContaining(['no stdin payload (too_large)']),
    });
    expectLogUnchanged();
  });

  it('missing fields: no session id is skipped; a bare id is recorded with fallbacks', async () => {
    expectSilentExit(await hook('{}'));
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'skipped', detail: 'no session id' });
    expectLogUnchanged();

    const csid = randomUUID();
    expectSilentExit(await hook(JSON.stringify({ session_id: csid })));
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'recorded',
      event: 'SessionStart',
      source: 'startup',
      notes: expect.arrayContaining(['no hook_event_name; treated as SessionStart']),
    });
    expect(sessionOf(world, csid).cwd).toBe(realpathSync(world.root));
    expectLogValid();
  });

  it('a session id that is not UUID-shaped: skipped', async () => {
    for (const id of ['abc123', '../../etc/passwd', `${randomUUID()}x`]) {
      expectSilentExit(
        await hook(
          JSON.stringify({ session_id: id, cwd: repoDir, hook_event_name: 'SessionStart' }),
        ),
      );
      expect(lastDiagnostics(world)).toMatchObject({
        outcome: 'skipped',
        detail: 'session id is not UUID-shaped',
      });
    }
    expectLogUnchanged();
  });
});

describe('hostile transcript paths', () => {
  async function startWith(transcriptPath: string, csid: string): Promise<void> {
    expectSilentExit(await hook(startPayload(csid, repoDir, transcriptPath, 'startup')));
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'recorded',
      notes: expect.arrayContaining(['transcript_path is not a regular file; ignored']),
    });
    expect(sessionOf(world, csid).transcript_files).toEqual([]);
    expectLogValid();
  }

  it('a directory where the transcript should be', async () => {
    const csid = randomUUID();
    const path = transcriptPathFor(world, repoDir, csid);
    mkdirSync(path, { recursive: true });
    await startWith(path, csid);
  });

  it('/dev/zero', async () => {
    await startWith('/dev/zero', randomUUID());
  });

  it.skipIf(process.platform === 'win32')(
    'a FIFO where the transcript should be (nobody writes to it)',
    async () => {
      const csid = randomUUID();
      const path = transcriptPathFor(world, repoDir, csid);
      mkdirSync(join(path, '..'), { recursive: true });
      execFileSync('mkfifo', [path]);
      await startWith(path, csid);
    },
  );
});

describe('a hostile store', () => {
  it('an index that is not ours or not a database: the session still reaches the log', async () => {
    const indexPath = join(world.storeDir, 'sessions-db.sqlite');
    const foreign = join(world.root, 'other-app.sqlite');
    const db = new Database(foreign);
    db.exec("CREATE TABLE notes (body TEXT); INSERT INTO notes VALUES ('keep me')");
    db.pragma('user_version = 4'); // our schema version, another application's database
    db.close();
    const garbage = Buffer.from('this is not a database '.repeat(200));
    // Another application's database is left as it is (the hook notes the in-memory index it
    // used instead); an unreadable file is moved aside and the index rebuilt.
    const cases = [
      { content: readFileSync(foreign), fallback: true },
      { content: garbage, fallback: false },
    ];
    for (const { content, fallback } of cases) {
      rmSync(indexPath, { force: true });
      writeFileSync(indexPath, content, { mode: 0o600 });
      const csid = randomUUID();
      const path = transcriptPathFor(world, repoDir, csid);
      writeTranscript(path, conversation(csid, repoDir, ['recorded whatever the index is']));
      expectSilentExit(await hook(startPayload(csid, repoDir, path, 'startup')));
      const entry = lastDiagnostics(world);
      expect(entry.outcome).toBe('recorded');
      expect(entry.notes.filter((note) => note.startsWith('in-memory index: '))).toEqual(
        fallback ? [expect.stringMatching(/STORE_FOREIGN_INDEX/)] : [],
      );
      expectLogValid();
      expect(readEvents(world).slice(baseline.length)).toContain(csid);
      baseline = readEvents(world);
    }
    // The foreign database was never modified; the unreadable one was moved aside, not deleted.
    rmSync(indexPath, { force: true });
    writeFileSync(indexPath, readFileSync(foreign), { mode: 0o600 });
    const before = readFileSync(indexPath);
    expectSilentExit(await hook(unwrittenSession(world, repoDir).payload));
    expect(readFileSync(indexPath)).toEqual(before);
    expect(
      readdirSync(world.storeDir).some((n) => n.startsWith('sessions-db.sqlite.corrupt-')),
    ).toBe(true);
    rmSync(indexPath, { force: true });
  });

  it('an unreadable store (chmod 000; as root, a file where the store directory should be)', async () => {
    const { payload } = unwrittenSession(world, repoDir);
    if (isRoot) {
      // chmod does not stop root: make the store path a file so it cannot be a directory.
      const fileStore = join(world.root, 'store-is-a-file');
      writeFileSync(fileStore, 'not a directory');
      expectSilentExit(await hook(payload, { SESSIONS_DB_ROOT: fileStore }));
    } else {
      chmodSync(world.storeDir, 0o000);
      try {
        expectSilentExit(await hook(payload));
      } finally {
        chmodSync(world.storeDir, 0o700);
      }
    }
    const entry = lastDiagnostics(world);
    expect(entry.outcome).toBe('error');
    expect(entry.error).toMatch(/store/i);
    expectLogUnchanged();
  });

  describe('a full disk', () => {
    const mountPoint = (): string => join(world.root, 'tiny-disk');
    let mounted = false;

    /** Mount a tiny tmpfs when allowed (root on Linux); false otherwise. */
    function mountTinyDisk(): boolean {
      if (!isRoot || process.platform !== 'linux') return false;
      mkdirSync(mountPoint());
      try {
        execFileSync('mount', ['-t', 'tmpfs', '-o', 'size=1m,mode=0700', 'tmpfs', mountPoint()], {
          stdio: 'ignore',
        });
        mounted = true;
        return true;
      } catch {
        return false;
      }
    }

    /** Write a filler file until the disk refuses more. */
    function fillDisk(dir: string): void {
      const fd = openSync(join(dir, 'filler'), 'w');
      const block = Buffer.alloc(4096, 0x78);
      try {
        for (;;) writeSync(fd, block);
      } catch {
        // ENOSPC: the disk is full
      } finally {
        closeSync(fd);
      }
    }

    afterEach(() => {
      if (mounted) execFileSync('umount', [mountPoint()], { stdio: 'ignore' });
      mounted = false;
    });

    it('appending fails: the run reports the error and the log stays valid', async () => {
      const { csid, payload } = unwrittenSession(world, repoDir);
      if (mountTinyDisk()) {
        const storeDir = join(mountPoint(), 'store');
        const env = { SESSIONS_DB_ROOT: storeDir };
        expectSilentExit(await hook(unwrittenSession(world, repoDir).payload, env));
        expect(lastDiagnostics(world).outcome).toBe('recorded');
        const eventsPath = join(storeDir, 'sessions-db-events.jsonl');
        const before = readEvents({ ...world, eventsPath });
        fillDisk(mountPoint());

        expectSilentExit(await hook(payload, env));
        const entry = lastDiagnostics(world);
        const after = readEvents({ ...world, eventsPath });
        expect(after.startsWith(before)).toBe(true);
        expect(() => parseEvents(after)).not.toThrow();
        if (entry.outcome === 'recorded') {
          // The index cannot grow, but the log's last page still had room for the line: the
          // hook folds the log in memory and the session reaches the log anyway.
          expect(after.slice(before.length)).toContain(csid);
        } else {
          expect(entry.outcome).toBe('error');
          expect(entry.error).toMatch(/ENOSPC|full|space|I\/O/i);
          expect(after).toBe(before);
        }
      } else {
        // No tmpfs: make the append fail another way — the events log path is a directory.
        const storeDir = join(world.root, 'broken-store');
        mkdirSync(join(storeDir, 'sessions-db-events.jsonl'), { recursive: true });
        expectSilentExit(await hook(payload, { SESSIONS_DB_ROOT: storeDir }));
        const entry = lastDiagnostics(world);
        expect(entry.outcome).toBe('error');
        expect(entry.error).not.toBeNull();
        expect(readdirSync(join(storeDir, 'sessions-db-events.jsonl'))).toEqual([]);
      }
      expectLogUnchanged();
      expect(allSessions(world).length).toBe(
        new Set(parseEvents(baseline).map((e) => e.stable_id)).size,
      );
    });
  });
});
