import {
  appendFileSync,
  mkdirSync,
  readFileSync,
  readdirSync,
  rmSync,
  utimesSync,
  writeFileSync,
} from 'node:fs';
import { dirname, join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { snapshotFiles } from '@sessions-db/vitest-config/file-snapshot';
import { openStore, storePathsIn } from '@sessions-db/store';
import { exampleStore, runCli, seedSession } from '../../test-support/harness.js';
import { exchangeRows } from '../../test-support/transcript-rows.js';
import { createPaint } from '../../format/colors.js';
import { highlightSnippet } from './search-data.js';

const C1 = '0b58b276-5b06-4814-8e9c-08e240d64658'; // legacy original
const C2 = 'aaa38585-8c7f-4aad-b911-7e9e67edd128'; // legacy resume copy

interface Hit {
  stable_id: string;
  claude_session_id: string;
  label: string | null;
  role: string;
  snippet: string;
  more_matches: number;
}

function setup() {
  const home = exampleStore();
  const { run } = home;
  return { ...home, run };
}

describe('search and restore', () => {
  it('finds one hit per logical session across a legacy resume, after the originals are deleted, and restores them', async () => {
    const { run, projects } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const dir = join(projects, '-home-alex-code-acme-api');
    const originals = new Map(
      [C1, C2].map((id) => [id, readFileSync(join(dir, `${id}.jsonl`))] as const),
    );
    const show = JSON.parse((await run('show', C1, '--json')).stdout) as {
      session: { stable_id: string };
    };
    const hits = JSON.parse(
      (await run('search', '"last_login_at column"', '--json')).stdout,
    ) as Hit[];
    expect(hits.filter((h) => h.stable_id === show.session.stable_id)).toHaveLength(1);
    expect(hits.find((h) => h.stable_id === show.session.stable_id)?.more_matches).toBeGreaterThan(
      0,
    );

    for (const id of [C1, C2]) rmSync(join(dir, `${id}.jsonl`));
    const after = JSON.parse(
      (await run('search', '"last_login_at column"', '--json')).stdout,
    ) as Hit[];
    expect(after.map((h) => h.stable_id)).toEqual(hits.map((h) => h.stable_id));
    const text = await run('search', 'last_login_at', '--session', C1);
    expect(text.stdout, text.stdout).toMatch(/\[last_login_at\]/);

    const restored = await run('restore', C1, '--json');
    expect(restored.exitCode).toBe(0);
    for (const [id, bytes] of originals) {
      expect(readFileSync(join(dir, `${id}.jsonl`)).equals(bytes)).toBe(true);
    }
    expect(readdirSync(dir)).toContain(`${C2}.jsonl`);
  });

  it('gives exit 2 and a clear message for a malformed query or a bad flag', async () => {
    const { run } = setup();
    await run('import', '--quiet');
    for (const bad of ['"unterminated', 'AND', 'nosuch:word']) {
      const result = await run('search', bad);
      expect(result.exitCode).toBe(2);
      expect(result.stderr).toMatch(/malformed search query/);
      expect(result.stderr).not.toMatch(/at .*\.ts:\d+/);
    }
    expect((await run('search', 'x', '--role', 'robot')).exitCode).toBe(2);
  });
});

/** A prompt and its answer, said in session `sessionId` (uuids from `n`). */
function said(sessionId: string, n: number, prompt: string): string {
  const uuid = (k: number): string =>
    `${String(n * 10 + k).padStart(8, '0')}-3f0e-4e5e-9d0b-6c1f2a3b4c5d`;
  return exchangeRows({
    cwd: '/home/alex/code/acme-api',
    sessionId,
    uuids: [uuid(1), uuid(2)],
    prompt,
    minute: '2026-03-05T09:00',
  });
}

describe('the catch-up before a search', () => {
  it('writes nothing when nothing changed, and still finds what was appended, a new subagent file and a session recorded since', async () => {
    const { run, projects, storeDir, deps } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const hitsOf = async (query: string): Promise<Hit[]> => {
      const result = await run('search', query, '--json');
      expect(result.exitCode, result.stderr).toBe(0);
      return JSON.parse(result.stdout) as Hit[];
    };
    // import remembered what it saw of every transcript: a search finds nothing to catch up
    expect(await hitsOf('zanzibarword')).toEqual([]);
    const before = snapshotFiles(storeDir);
    expect(await hitsOf('zanzibarword')).toEqual([]);
    expect(snapshotFiles(storeDir)).toEqual(before);

    // a line appended to a transcript of a session with no event since (imported, ended)
    const dir = join(projects, '-home-alex-code-acme-api');
    appendFileSync(join(dir, `${C1}.jsonl`), said(C1, 1, 'a zanzibarword now'));
    expect((await hitsOf('zanzibarword')).map((h) => h.claude_session_id)).toEqual([C1]);

    // a subagent file that appeared while its session's transcript grew
    const EE73 = 'ee73bb9c-e11a-4b60-953d-3a1432371070';
    writeFileSync(
      join(dir, EE73, 'subagents', 'agent-0f0f0f0f0f0f0f0f0.jsonl'),
      said(EE73, 2, 'the quokkaword task'),
    );
    appendFileSync(join(dir, `${EE73}.jsonl`), said(EE73, 3, 'go on'));
    expect((await hitsOf('quokkaword')).map((h) => h.claude_session_id)).toEqual([EE73]);

    // a session recorded since the last search (here by an import that archives nothing, so
    // nothing of it is indexed): the search finds it in the store's log
    const NEW = '5e1f0a2b-8c3d-4e5f-9a0b-1c2d3e4f5a6b';
    writeFileSync(join(dir, `${NEW}.jsonl`), said(NEW, 4, 'fix the wombatword bug'));
    const recorded = await runCli(['--store', storeDir, 'import', '--quiet'], {
      ...deps,
      env: { ...deps.env, SESSIONS_DB_ARCHIVE: '0' },
    });
    expect(recorded.exitCode, recorded.stderr).toBe(0);
    expect((await hitsOf('wombatword')).map((h) => h.claude_session_id)).toEqual([NEW]);
  });
});

describe('the catch-up of imported sessions', () => {
  it('stops looking at a transcript left alone for the grace when imported; what it gains with no event waits for the next import', async () => {
    const { run, projects } = setup();
    const dir = join(projects, '-home-alex-code-acme-api');
    const transcript = join(dir, `${C1}.jsonl`);
    const longAgo = new Date(Date.now() - 24 * 3600 * 1000);
    utimesSync(transcript, longAgo, longAgo);
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const hitsOf = async (query: string): Promise<string[]> => {
      const result = await run('search', query, '--json');
      expect(result.exitCode, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as Hit[]).map((h) => h.claude_session_id);
    };
    // the legacy session's one hit: its latest match, in the resumed copy
    expect(await hitsOf('last_login_at')).toEqual([C2]);
    // resumed without the hook: the settled file is not stat'ed, so the search does not see it
    appendFileSync(transcript, said(C1, 1, 'a platypusword now'));
    expect(await hitsOf('platypusword')).toEqual([]);
    // the next import stats every transcript it records
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    expect(await hitsOf('platypusword')).toEqual([C1]);
  });
});

describe('the catch-up of sessions the hook records', () => {
  it('catches up a live session, stops looking at one the SessionEnd hook ended, and looks again when it is resumed', async () => {
    const { run, projects, storeDir } = setup();
    expect((await run('import', '--quiet')).exitCode).toBe(0);
    const hitsOf = async (query: string): Promise<string[]> => {
      const result = await run('search', query, '--json');
      expect(result.exitCode, result.stderr).toBe(0);
      return (JSON.parse(result.stdout) as Hit[]).map((h) => h.claude_session_id);
    };
    const H = '7d1c2b3a-4e5f-4a6b-8c7d-9e0f1a2b3c4d';
    const dir = join(projects, '-home-alex-code-acme-api');
    const transcript = join(dir, `${H}.jsonl`);
    writeFileSync(transcript, said(H, 5, 'the narwhalword first'));
    const store = openStore(storePathsIn(storeDir, 'arg'));
    try {
      // SessionStart at 09:00 (the tests' clock says 12:00): a live session, found and caught up
      seedSession(store, { csid: H, ts: '2026-03-10T09:00:00.000Z', transcript });
      expect(await hitsOf('narwhalword')).toEqual([H]);
      appendFileSync(transcript, said(H, 6, 'the ocelotword later'));
      expect(await hitsOf('ocelotword')).toEqual([H]);

      // SessionEnd at 10:00, more than the grace before the clock: its files settle
      const ended = store.recordSessionEnd(
        {
          facts: {
            claudeSessionId: H,
            now: Date.parse('2026-03-10T10:00:00.000Z'),
            hookEvent: 'SessionEnd',
            cwd: '/home/alex/code/acme-api',
          },
          payload: { claude_session_id: H, reason: 'prompt_input_exit' },
        },
        { ts: '2026-03-10T10:00:00.000Z' },
      );
      expect(ended.ok).toBe(true);
      expect(await hitsOf('ocelotword')).toEqual([H]);
      // a settled file is not looked at: bytes written with no event wait for the next one
      appendFileSync(transcript, said(H, 7, 'an axolotlword unseen'));
      const subagent = join(dir, H, 'subagents', 'agent-1a1a1a1a1a1a1a1a1.jsonl');
      mkdirSync(dirname(subagent), { recursive: true });
      writeFileSync(subagent, said(H, 8, 'the subagent capybaraword'));
      expect(await hitsOf('axolotlword')).toEqual([]);

      // a resume fires SessionStart first: the session's files are looked at again
      seedSession(store, { csid: H, ts: '2026-03-10T11:00:00.000Z', source: 'resume', transcript });
      expect(await hitsOf('axolotlword')).toEqual([H]);
      expect(await hitsOf('capybaraword')).toEqual([H]);
    } finally {
      store.close();
    }
  });
});

describe('highlightSnippet', () => {
  it('marks the match and keeps the spaces around it; controls and newlines fold to one space', () => {
    const snippet = 'the redirect \u0002loops\u0003 forever\n\u001b[2J after';
    expect(highlightSnippet(snippet, createPaint(false))).toBe(
      'the redirect [loops] forever [2J after',
    );
    expect(highlightSnippet(snippet, createPaint(true))).toBe(
      `the redirect ${createPaint(true).yellow('loops')} forever [2J after`,
    );
  });
});
