// The browser's Ink component, rendered with ink-testing-library against the fixture store.
import * as Ink from 'ink';
import { render } from 'ink-testing-library';
import * as React from 'react';
import { afterEach, describe, expect, it, vi } from 'vitest';
import { createCommandContext } from '../../command-context.js';
import { createPaint } from '../../format/colors.js';
import { createFixtureStore } from '../../test-support/fixture.js';
import { NOW, memoryDeps } from '../../test-support/harness.js';
import { createBrowseApp, firstFrame, firstScreenRows } from './browse-app.js';
import { storeBrowseSource } from './browse-command.js';
import type { BrowseExit } from './browse-model.js';

const BrowseApp = createBrowseApp({ React, Ink });
const releases: (() => void)[] = [];

afterEach(() => {
  for (const release of releases.splice(0)) release();
});

/** The browser's source of rows over the fixture store (released after the test). */
function fixtureSource() {
  const { store } = createFixtureStore();
  const handle = createCommandContext(memoryDeps(store), {
    json: false,
    quiet: false,
    color: false,
  });
  releases.push(() => handle.release());
  return { store, source: storeBrowseSource(store, handle.context) };
}

function mount(): {
  app: ReturnType<typeof render>;
  exits: BrowseExit[];
  store: ReturnType<typeof createFixtureStore>['store'];
} {
  const { store, source } = fixtureSource();
  const exits: BrowseExit[] = [];
  const app = render(
    React.createElement(BrowseApp, {
      source,
      initialRows: source.list({ query: '', openOnly: false, generation: 0 }),
      paint: createPaint(false),
      now: () => NOW,
      onExit: (exit) => exits.push(exit),
    }),
  );
  releases.push(() => app.unmount());
  return { app, exits, store };
}

const frame = (app: ReturnType<typeof render>): string => app.lastFrame() ?? '';

/** Type into the app, one key per write (as a terminal sends them). */
async function keys(app: ReturnType<typeof render>, ...presses: string[]): Promise<void> {
  for (const press of presses) {
    app.stdin.write(press);
    // The test stdin holds one chunk: wait until Ink has read it before writing the next.
    await vi.waitFor(() => expect(app.stdin.data).toBeNull());
  }
}

describe('BrowseApp (ink-testing-library)', () => {
  it('draws the sessions, the details of the first and the footer', () => {
    const { app, store } = mount();
    const text = frame(app);
    const [first] = store.findSessions({});
    expect(text).toMatch(/^sessions-db browse {2}5 sessions/);
    expect(text.split('\n').filter((line) => line.startsWith('› '))).toHaveLength(1);
    expect(text).toContain(`id        ${first?.stable_id ?? '?'}`);
    expect(text).toContain('↑↓/jk move');
  });

  it('filters as you type after /', async () => {
    const { app } = mount();
    await keys(app, '/', 'c', 'h', 'e', 'c', 'k', 'o');
    await vi.waitFor(() =>
      expect(frame(app)).toMatch(/^sessions-db browse {2}1 session {2}\/ checko▏/),
    );
    expect(frame(app)).toContain('› checkout-split');
  });

  it('Enter resumes the selected session, q quits', async () => {
    const resume = mount();
    await keys(resume.app, 'j', '\r');
    await vi.waitFor(() => expect(resume.exits).toHaveLength(1));
    expect(resume.exits[0]?.kind).toBe('resume');
    const quit = mount();
    await keys(quit.app, 'q');
    await vi.waitFor(() => expect(quit.exits).toEqual([{ kind: 'quit' }]));
  });

  it('a sets the alias through the store and says so', async () => {
    const { app, store } = mount();
    await keys(app, 'a', '\u0015', 'n', 'e', 'w', '\r');
    await vi.waitFor(() => expect(frame(app)).toContain('alias set: new'));
    expect(store.findSessions({ alias: 'new' })).toHaveLength(1);
    await vi.waitFor(() => expect(frame(app)).toContain('› new'));
  });
});

describe('the first frame (drawn by the command before the rest of the list is queried)', () => {
  /**
   * The screen's lines without the title, runs of spaces as one: the columns of the first frame
   * are as wide as its own rows need, those of the whole list as all of them need.
   */
  const content = (lines: readonly string[]): string[] =>
    lines.slice(1).map((line) => line.replace(/ +/g, ' '));

  it('shows the first screenful as the whole list shows it, and says the rest is loading', () => {
    const { source } = fixtureSource();
    const everything = { query: '', openOnly: false, generation: 0 };
    const all = source.list(everything);
    const paint = createPaint(false);
    const loading: boolean[] = [];
    // 7 rows: a list of 3 (no pane); 9 rows: 5, the whole fixture; 30 rows: 17. Wide enough that
    // no label is cut.
    for (const rows of [7, 9, 30]) {
      const stdout = { columns: 200, rows } as NodeJS.WriteStream;
      const shown = firstScreenRows(stdout);
      const head = source.list(everything, shown + 1);
      const more = head.length > shown;
      loading.push(more);
      const first = firstFrame(head.slice(0, shown), stdout, paint, NOW, more);
      const whole = firstFrame(all, stdout, paint, NOW);
      expect(first).toHaveLength(whole.length);
      expect(first[0]).toBe(
        more ? 'sessions-db browse  loading…' : `sessions-db browse  ${all.length} sessions`,
      );
      expect(content(first)).toEqual(content(whole));
    }
    expect(loading).toEqual([true, false, false]);
  });
});
