// The hook's contract with Claude Code and with the user (docs/hook.md): the
// events it handles, the kill switch, privacy, environment fallbacks and aliases, and the
// opt-in diagnostics log.
import { trustStore } from '@sessions-db/store';
import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

import { describe, expect, it } from 'vitest';

import { expectSilentExit, repoDir, useHookWorld, world } from './support/hook-world.js';
import { HOOK_BIN, runHookProcess } from './support/hook-process.js';
import type { HookExit } from './support/hook-process.js';
import { sessionOf, withStore } from './support/store-view.js';
import {
  endPayload,
  lastDiagnostics,
  newSession,
  parseEvents,
  readDiagnostics,
  readEvents,
  startPayload,
  unwrittenSession,
} from './support/world.js';

const PROMPT = 'rewrite the session token refresh so that concurrent tabs never log the user out';

useHookWorld({ repo: true });

function hook(
  input: string | null,
  env: Record<string, string> = {},
  drop: string[] = [],
): Promise<HookExit> {
  const merged: Record<string, string> = { ...world.env, ...env };
  for (const name of drop) delete merged[name];
  return runHookProcess(input, { env: merged, cwd: world.root });
}

/** A session with a transcript holding one real prompt. */
function sessionWithTranscript(): { csid: string; path: string } {
  return newSession(world, repoDir, [PROMPT]);
}

describe('events', () => {
  it('ignores events other than SessionStart and SessionEnd without touching the store', async () => {
    const { csid, path } = sessionWithTranscript();
    for (const event of ['UserPromptSubmit', 'PreCompact', 'Stop', 'SubagentStop']) {
      expectSilentExit(
        await hook(
          JSON.stringify({
            session_id: csid,
            transcript_path: path,
            cwd: repoDir,
            hook_event_name: event,
          }),
        ),
      );
      expect(lastDiagnostics(world)).toMatchObject({
        event,
        outcome: 'skipped',
        detail: `event ${event} is not handled`,
      });
    }
    expect(existsSync(world.storeDir)).toBe(false);
  });

  it('treats an unknown SessionStart source as startup and keeps model, agent type and title', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(
      await hook(
        startPayload(csid, repoDir, path, 'vscode', {
          model: 'claude-sonnet-5',
          agent_type: 'reviewer',
          session_title: 'token refresh',
        }),
      ),
    );
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'recorded', source: 'startup' });
    const seen = parseEvents(readEvents(world)).find((event) => event.op === 'session_seen');
    expect(seen?.payload).toMatchObject({
      source: 'startup',
      model: 'claude-sonnet-5',
      agent_type: 'reviewer',
      session_title: 'token refresh',
    });
    // The name the session already has is its custom title (its label) until the file says more.
    expect(sessionOf(world, csid)).toMatchObject({ custom_title: 'token refresh' });
  });

  it('records a SessionEnd for a session it never saw start (hook installed mid-session)', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(await hook(endPayload(csid, repoDir, path, 'logout')));
    expect(lastDiagnostics(world)).toMatchObject({
      event: 'SessionEnd',
      reason: 'logout',
      outcome: 'recorded',
    });
    const session = sessionOf(world, csid);
    expect(session.end_reason).toBe('logout');
    expect(session.transcript_files.map((file) => file.path)).toEqual([path]);
    expect(parseEvents(readEvents(world)).map((event) => event.op)).toContain('session_end');
  });
});

describe('kill switch', () => {
  for (const name of ['SESSIONS_DB_DISABLED', 'DRUUMEN_SESSIONS_DB_DISABLED']) {
    it(`${name}=1 does nothing at all`, async () => {
      const { csid, path } = sessionWithTranscript();
      expectSilentExit(await hook(startPayload(csid, repoDir, path, 'startup'), { [name]: '1' }));
      expect(existsSync(world.storeDir)).toBe(false);
      expect(lastDiagnostics(world)).toMatchObject({ outcome: 'disabled', event: null });
    });
  }

  it('any other value leaves the hook on', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(
      await hook(startPayload(csid, repoDir, path, 'startup'), { SESSIONS_DB_DISABLED: '0' }),
    );
    expect(lastDiagnostics(world).outcome).toBe('recorded');
  });
});

describe('privacy', () => {
  it('stores a prompt preview by default', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(await hook(startPayload(csid, repoDir, path, 'startup')));
    expect(sessionOf(world, csid).first_prompt_preview).toBe(PROMPT);
  });

  for (const [name, value] of [
    ['SESSIONS_DB_STORE_PREVIEW', '0'],
    ['SESSIONS_DB_STORE_PREVIEW', ' False '],
    ['DRUUMEN_SESSIONS_DB_STORE_PREVIEW', 'false'],
  ] as const) {
    it(`${name}=${JSON.stringify(value)} stores no preview, but still fingerprints`, async () => {
      const { csid, path } = sessionWithTranscript();
      expectSilentExit(await hook(startPayload(csid, repoDir, path, 'startup'), { [name]: value }));
      const session = sessionOf(world, csid);
      expect(session.first_prompt_preview).toBeNull();
      expect(session.fingerprints.first_human_prompt_v1).toEqual(expect.any(String));
      expect(readEvents(world)).not.toContain('concurrent tabs');
    });
  }
});

describe('environment', () => {
  it('takes the session id and cwd from CLAUDE_CODE_SESSION_ID and CLAUDE_PROJECT_DIR', async () => {
    const { csid } = sessionWithTranscript();
    expectSilentExit(
      await hook(JSON.stringify({ hook_event_name: 'SessionStart', source: 'startup' }), {
        CLAUDE_CODE_SESSION_ID: csid,
        CLAUDE_PROJECT_DIR: repoDir,
      }),
    );
    const session = sessionOf(world, csid);
    expect(session.cwd).toBe(repoDir);
    expect(session.first_prompt_preview).toBe(PROMPT);
  });

  it('accepts the original CLAUDE_SESSION_ID', async () => {
    const { csid } = sessionWithTranscript();
    expectSilentExit(
      await hook(JSON.stringify({ hook_event_name: 'SessionStart', cwd: repoDir }), {
        CLAUDE_SESSION_ID: csid,
      }),
    );
    expect(sessionOf(world, csid).claude_session_ids).toEqual([csid]);
  });

  it('records into the store of its --store argument, whatever SESSIONS_DB_ROOT says', async () => {
    const { csid, path } = sessionWithTranscript();
    const chosen = join(world.root, 'chosen store');
    expectSilentExit(
      await runHookProcess(startPayload(csid, repoDir, path, 'startup'), {
        env: world.env,
        cwd: world.root,
        args: ['--store', chosen],
      }),
    );
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'recorded', store: chosen });
    expect(readdirSync(chosen)).toContain('sessions-db-events.jsonl');
    expect(existsSync(world.storeDir)).toBe(false);
  });

  it('records into DRUUMEN_SESSIONS_DB_ROOT when SESSIONS_DB_ROOT is not set', async () => {
    const { csid, path } = sessionWithTranscript();
    const legacyStore = join(world.root, 'legacy-store');
    expectSilentExit(
      await hook(
        startPayload(csid, repoDir, path, 'startup'),
        { DRUUMEN_SESSIONS_DB_ROOT: legacyStore },
        ['SESSIONS_DB_ROOT'],
      ),
    );
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'recorded', store: legacyStore });
    expect(readdirSync(legacyStore)).toContain('sessions-db-events.jsonl');
    expect(existsSync(world.storeDir)).toBe(false);
  });

  it('without a root, records into a workspace store above the cwd once the user made it theirs', async () => {
    const workspaceStore = join(repoDir, '.dru-code');
    mkdirSync(workspaceStore);
    const { csid, path } = sessionWithTranscript();
    // Seed the workspace store through the hook itself, then let the ascent find it.
    expectSilentExit(
      await hook(unwrittenSession(world, repoDir).payload, {
        SESSIONS_DB_ROOT: workspaceStore,
      }),
    );
    const nested = join(repoDir, 'src', 'deep');
    mkdirSync(nested, { recursive: true });
    // Not listed in the user's configuration: a store shipped in a checkout is never used.
    expectSilentExit(await hook(unwrittenSession(world, nested).payload, {}, ['SESSIONS_DB_ROOT']));
    expect(lastDiagnostics(world)).toMatchObject({
      outcome: 'recorded',
      store: join(world.env['XDG_DATA_HOME'] ?? '', 'sessions-db'),
    });
    trustStore(workspaceStore, world.env);
    expectSilentExit(
      await hook(startPayload(csid, nested, path, 'startup'), {}, ['SESSIONS_DB_ROOT']),
    );
    expect(lastDiagnostics(world)).toMatchObject({ outcome: 'recorded', store: workspaceStore });
  });
});

describe('diagnostics log', () => {
  it('writes one line per run with the outcome, ids and step timings', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(await hook(startPayload(csid, repoDir, path, 'resume')));
    const entries = readDiagnostics(world);
    expect(entries).toHaveLength(1);
    const entry = entries[0];
    const stableId = withStore(world, (store) => {
      const found = store.getSession(csid);
      return found.ok ? found.session.stable_id : null;
    });
    expect(entry).toMatchObject({
      event: 'SessionStart',
      csid,
      source: 'resume',
      outcome: 'recorded',
      stable_id: stableId,
      store: world.storeDir,
      claude_pid: process.pid,
      error: null,
    });
    for (const step of [
      'load',
      'stdin',
      'resolve_store',
      'claude_pid',
      'gather',
      'open_store',
      'record',
      'total',
    ]) {
      expect(entry?.timings[step], step).toEqual(expect.any(Number));
    }
  });

  it('writes nothing when SESSIONS_DB_LOG is not set', async () => {
    const { csid, path } = sessionWithTranscript();
    expectSilentExit(
      await hook(startPayload(csid, repoDir, path, 'startup'), {}, ['SESSIONS_DB_LOG']),
    );
    expect(existsSync(world.logPath)).toBe(false);
    expect(sessionOf(world, csid).claude_session_ids).toEqual([csid]);
  });

  it('an unwritable log never stops the run or prints', async () => {
    const { csid, path } = sessionWithTranscript();
    const logDir = join(world.root, 'log-is-a-directory');
    mkdirSync(logDir);
    expectSilentExit(
      await hook(startPayload(csid, repoDir, path, 'startup'), { SESSIONS_DB_LOG: logDir }),
    );
    expect(sessionOf(world, csid).claude_session_ids).toEqual([csid]);
  });
});

describe('stdio', () => {
  /** A preload that writes, at exit, which of Node's stream modules the process loaded. */
  function probe(): { env: Record<string, string>; loaded: () => string[] } {
    const script = join(world.root, 'stdio-probe.cjs');
    const out = join(world.root, 'stdio-probe.json');
    writeFileSync(
      script,
      `process.on('exit', () => require('node:fs').writeFileSync(${JSON.stringify(out)}, ` +
        `JSON.stringify(process.moduleLoadList.filter((m) => /^NativeModule (net|tty)$/.test(m)))));\n`,
    );
    return {
      env: { NODE_OPTIONS: `--require ${script}` },
      loaded: () => JSON.parse(readFileSync(out, 'utf8')) as string[],
    };
  }

  it("reads its payload from fd 0 and prints nothing, without Node's stdio streams (no net)", async () => {
    const { csid, payload } = newSession(world, repoDir, [PROMPT]);
    const { env, loaded } = probe();
    expectSilentExit(await hook(payload, env));
    expect(lastDiagnostics(world)).toMatchObject({ csid, outcome: 'recorded' });
    expect(loaded()).toEqual([]);
  });

  it('reads a payload that arrives in pieces on a pipe left open after it', async () => {
    const { csid, payload } = newSession(world, repoDir, [PROMPT]);
    const child = spawn(process.execPath, [HOOK_BIN], {
      env: world.env,
      cwd: world.root,
      stdio: ['pipe', 'pipe', 'pipe'],
    });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    const exited = new Promise<number | null>((resolve) => child.on('close', resolve));
    const half = Math.floor(payload.length / 2);
    child.stdin.write(payload.slice(0, half));
    await new Promise((resolve) => setTimeout(resolve, 50));
    child.stdin.write(payload.slice(half));
    // stdin stays open until the hook is done: a complete object is all it waits for.
    expect(await exited).toBe(0);
    child.stdin.destroy();
    expect(output).toBe('');
    expect(lastDiagnostics(world)).toMatchObject({ csid, outcome: 'recorded' });
  });
});
