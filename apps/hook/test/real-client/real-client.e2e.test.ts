// The real Claude Code, pinned versions, offline against a local Messages API stand-in, with the
// built hook installed by `sessions-db hook install` (and as a plugin): what the store holds after
// each way of starting, continuing, resuming, forking, clearing and branching a session.
// Install the clients first: `node apps/hook/scripts/install-real-clients.mjs`.
import { afterAll, beforeAll, describe, expect, it } from 'vitest';

import {
  REAL_CLIENT_VERSIONS,
  claudeBinary,
  cliJson,
  createClientWorld,
  hasTmux,
  realClientCacheDir,
  removeClientWorld,
  runPrint,
  transcriptIds,
} from './support/claude-client.js';
import type { ClientWorld, HookInstall } from './support/claude-client.js';
import { startMessagesStandIn } from './support/messages-stand-in.js';
import type { MessagesStandIn } from './support/messages-stand-in.js';
import { startTmuxClaude } from './support/tmux.js';

interface StoredSession {
  readonly stable_id: string;
  readonly claude_session_ids: readonly string[];
  readonly parent_session_id: string | null;
  readonly first_prompt_preview: string | null;
}
interface Shown {
  readonly session: StoredSession & { readonly parent_kind?: string | null };
  readonly parent: { readonly stable_id: string } | null;
}
interface TreeNode {
  readonly stable_id: string;
  readonly edge_kind: string | null;
  readonly children: readonly TreeNode[];
}

const show = (world: ClientWorld, id: string): Shown => cliJson<Shown>(world, 'show', id);
const tree = (world: ClientWorld, id: string): TreeNode => cliJson<TreeNode>(world, 'tree', id);
const all = (world: ClientWorld): StoredSession[] => cliJson<StoredSession[]>(world, 'find');

async function ok(world: ClientWorld, prompt: string, ...args: string[]): Promise<void> {
  const run = await runPrint(world, prompt, ...args);
  expect(run, `claude ${args.join(' ')} -p ${prompt}`).toMatchObject({ code: 0 });
}

const missing = REAL_CLIENT_VERSIONS.filter((version) => claudeBinary(version) === null);
if (missing.length > 0) {
  console.warn(
    `real-client suite skipped: claude ${missing.join(', ')} not installed under ${realClientCacheDir()} ` +
      '(run `node apps/hook/scripts/install-real-clients.mjs`)',
  );
}
const installs: readonly HookInstall[] = ['settings', 'plugin'];

describe.skipIf(missing.length > 0)('real Claude Code', () => {
  let standIn: MessagesStandIn;
  const worlds: ClientWorld[] = [];
  beforeAll(async () => {
    standIn = await startMessagesStandIn();
  });
  afterAll(async () => {
    await standIn.close();
    for (const world of worlds) removeClientWorld(world);
  });
  const world = (version: string, install: HookInstall): ClientWorld => {
    const created = createClientWorld(version, standIn.baseUrl, install);
    worlds.push(created);
    return created;
  };

  describe.each(REAL_CLIENT_VERSIONS)('claude %s', (version) => {
    describe.each(installs)('hook installed by %s', (install) => {
      // The transcript of a -p run does not exist at SessionStart: SessionEnd fills in its head.
      it('-p start: one session with its first prompt', async () => {
        const w = world(version, install);
        await ok(w, 'start alpha');
        const [id] = transcriptIds(w);
        expect(id).toBeDefined();
        const sessions = all(w);
        expect(sessions).toHaveLength(1);
        expect(sessions[0]?.claude_session_ids).toEqual([id]);
        expect(sessions[0]?.first_prompt_preview).toBe('start alpha');
      });

      it('--continue -p: the same stable id', async () => {
        const w = world(version, install);
        await ok(w, 'start bravo');
        const before = all(w);
        await ok(w, 'continue bravo', '--continue');
        const after = all(w);
        expect(after).toHaveLength(1);
        expect(after[0]?.stable_id).toBe(before[0]?.stable_id);
        expect(after[0]?.first_prompt_preview).toBe('start bravo');
      });

      it('--resume ID -p: the same stable id', async () => {
        const w = world(version, install);
        await ok(w, 'start charlie');
        const [id] = transcriptIds(w);
        const before = show(w, id ?? '');
        await ok(w, 'resume charlie', '--resume', id ?? '');
        expect(all(w)).toHaveLength(1);
        expect(show(w, id ?? '').session.stable_id).toBe(before.session.stable_id);
      });

      // Neither client has written the fork's file at SessionStart. 2.1.332 says `fork` with the
      // new id; 2.1.197 says `resume` with the origin's id (only the registry holds the new one,
      // and `--continue` looks the same). On both, the fork's SessionEnd (its own id, its file now
      // written) links it to its origin by the rows it copied.
      it('--resume ID --fork-session -p: a new session, child of its origin by a fork edge', async () => {
        const w = world(version, install);
        await ok(w, 'start delta');
        const [origin] = transcriptIds(w);
        const originStable = show(w, origin ?? '').session.stable_id;
        await ok(w, 'fork delta', '--resume', origin ?? '', '--fork-session');
        const fork = transcriptIds(w).find((id) => id !== origin);
        expect(fork).toBeDefined();
        const sessions = all(w);
        expect(sessions).toHaveLength(2);
        const forkShown = show(w, fork ?? '');
        expect(forkShown.session.stable_id).not.toBe(originStable);
        expect(show(w, origin ?? '').session.stable_id).toBe(originStable);
        expect(forkShown.parent?.stable_id).toBe(originStable);
        expect(
          tree(w, originStable).children.map((child) => [child.stable_id, child.edge_kind]),
        ).toEqual([[forkShown.session.stable_id, 'fork']]);
        expect(forkShown.session.first_prompt_preview).toBe('start delta');
      });

      // Driven in tmux (skipped without it). The first prompts come from the heads SessionEnd reads.
      (hasTmux() ? it : it.skip)(
        'interactive /clear then /branch: three sessions, a clear edge and a fork edge',
        async () => {
          const w = world(version, install);
          const tmux = startTmuxClaude(w);
          try {
            const answered = (n: number) => () =>
              standIn.messageCount() >= n && tmux.screen().includes('ok from the stand-in');
            const base = standIn.messageCount();
            await tmux.waitFor('the input prompt', () => /^\s*[>❯]/m.test(tmux.screen()));
            tmux.submit('interactive echo');
            await tmux.waitFor('the first answer', answered(base + 1));
            // The answer can be on screen before the transcript file is written.
            await tmux.waitFor('the first transcript', () => transcriptIds(w).length >= 1);
            const [first] = transcriptIds(w);
            tmux.submit('/clear');
            await tmux.waitFor('the clear', () => !tmux.screen().includes('interactive echo'));
            tmux.submit('after clear foxtrot');
            await tmux.waitFor(
              'the answer after clear',
              () => transcriptIds(w).length >= 2 && tmux.screen().includes('ok from the stand-in'),
            );
            const second = transcriptIds(w).find((id) => id !== first);
            tmux.submit('/branch');
            await tmux.waitFor('the branch', () => transcriptIds(w).length >= 3);
            const third = transcriptIds(w).find((id) => id !== first && id !== second);
            tmux.submit('/exit');
            await tmux.waitFor('claude to exit', () => !tmux.alive());

            const firstStable = show(w, first ?? '').session.stable_id;
            const secondShown = show(w, second ?? '');
            const thirdShown = show(w, third ?? '');
            expect(
              new Set([firstStable, secondShown.session.stable_id, thirdShown.session.stable_id])
                .size,
            ).toBe(3);
            expect(secondShown.parent?.stable_id).toBe(firstStable);
            expect(thirdShown.parent?.stable_id).toBe(secondShown.session.stable_id);
            const root = tree(w, firstStable);
            expect(root.children.map((child) => child.edge_kind)).toEqual(['clear']);
            expect(root.children[0]?.children.map((child) => child.edge_kind)).toEqual(['fork']);
            expect(show(w, first ?? '').session.first_prompt_preview).toBe('interactive echo');
            expect(secondShown.session.first_prompt_preview).toBe('after clear foxtrot');
          } finally {
            tmux.kill();
          }
        },
      );
    });
  });
});
