import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import type { BrowseAction, BrowseState, KeyPress } from './browse-model.js';
import {
  browseReducer,
  contentQuery,
  initialBrowseState,
  needsRows,
  selectedSession,
  splitKeyPresses,
  treeOrder,
  wantedFilter,
} from './browse-model.js';

const { store, ids } = createFixtureStore();
const ROWS = store.findSessions({});

const press = (input: string, flags: Omit<KeyPress, 'input'> = {}): BrowseAction => ({
  type: 'key',
  key: { input, ...flags },
});

function run(state: BrowseState, ...actions: BrowseAction[]): BrowseState {
  return actions.reduce(browseReducer, state);
}

describe('browseReducer', () => {
  const start = run(initialBrowseState(ROWS), { type: 'list-height', height: 3 });

  it('moves with j/k and the arrows, stops at both ends, pages, and jumps with g/G', () => {
    expect(ROWS.length).toBeGreaterThan(3);
    expect(run(start, press('j'), press('j')).selected).toBe(2);
    expect(run(start, press('', { downArrow: true }), press('k')).selected).toBe(0);
    expect(run(start, press('k'), press('', { upArrow: true })).selected).toBe(0);
    expect(run(start, press('G')).selected).toBe(ROWS.length - 1);
    expect(run(start, press('G'), press('j')).selected).toBe(ROWS.length - 1);
    expect(run(start, press('G'), press('g')).selected).toBe(0);
    expect(run(start, press('', { pageDown: true })).selected).toBe(2);
  });

  it('scrolls so that the selection stays on screen', () => {
    const bottom = run(start, press('G'));
    expect(bottom.scroll).toBe(ROWS.length - 3);
    const back = run(bottom, press('g'));
    expect(back.scroll).toBe(0);
  });

  it('/ types a filter; Enter keeps it, Esc clears it, Backspace and Ctrl-U edit it', () => {
    const typing = run(start, press('/'), press('d'), press('a'), press('r'), press('k'));
    expect(typing).toMatchObject({ mode: 'filter', query: 'dark' });
    // Letters are text in the filter line, not commands.
    expect(run(typing, press('q'), press('j')).query).toBe('darkqj');
    expect(run(typing, press('', { backspace: true })).query).toBe('dar');
    expect(run(typing, press('u', { ctrl: true })).query).toBe('');
    expect(run(typing, press('\r', { return: true }))).toMatchObject({
      mode: 'list',
      query: 'dark',
    });
    expect(run(typing, press('', { escape: true }))).toMatchObject({ mode: 'list', query: '' });
    // Control characters never enter the filter.
    expect(run(typing, press('\u001b[31m')).query).toBe('dark[31m');
  });

  it('takes rows loaded for the current filter only, and keeps the selected session', () => {
    const second = ROWS[1];
    const selected = run(start, press('j'), press('/'), press('x'));
    const stale = run(selected, {
      type: 'rows',
      filter: { query: 'other', openOnly: false, generation: 0 },
      rows: [],
    });
    expect(stale.rows).toBe(ROWS);
    const narrowed = run(selected, {
      type: 'rows',
      filter: { query: 'x', openOnly: false, generation: 0 },
      rows: [ROWS[3]!, second!],
    });
    expect(narrowed.loadedFilter.query).toBe('x');
    expect(selectedSession(narrowed)?.stable_id).toBe(second?.stable_id);
    const empty = run(selected, {
      type: 'rows',
      filter: { query: 'x', openOnly: false, generation: 0 },
      rows: [],
    });
    expect(selectedSession(empty)).toBeNull();
    expect(empty.selected).toBe(0);
  });

  it('Enter resumes the selected session; with no session it does nothing', () => {
    const second = run(start, press('j'), press('\r', { return: true }));
    expect(second.exit).toEqual({ kind: 'resume', session: ROWS[1] });
    // Keys after the end change nothing.
    expect(run(second, press('j')).selected).toBe(1);
    const empty = run(initialBrowseState([]), press('\r', { return: true }));
    expect(empty.exit).toBeNull();
  });

  it('q and Esc quit from the list; ? opens the help and any key closes it', () => {
    expect(run(start, press('q')).exit).toEqual({ kind: 'quit' });
    expect(run(start, press('', { escape: true })).exit).toEqual({ kind: 'quit' });
    const help = run(start, press('?'));
    expect(help.mode).toBe('help');
    expect(run(help, press('q'))).toMatchObject({ mode: 'list', exit: null });
  });

  it('keeps the selection in range and on screen whatever happens (property)', () => {
    const action: fc.Arbitrary<BrowseAction> = fc.oneof(
      fc.constantFrom('j', 'k', 'g', 'G', '/', 'a', '?').map((input) => press(input)),
      fc
        .constantFrom<Omit<KeyPress, 'input'>>(
          { upArrow: true },
          { downArrow: true },
          { pageUp: true },
          { pageDown: true },
          { return: true },
          { backspace: true },
        )
        .map((flags) => press('', flags)),
      fc.integer({ min: 1, max: 12 }).map((height) => ({ type: 'list-height', height }) as const),
      fc.subarray([...ROWS]).map(
        (rows) =>
          ({
            type: 'rows',
            filter: { query: '', openOnly: false, generation: 0 },
            rows,
          }) as const,
      ),
    );
    fc.assert(
      fc.property(fc.array(action, { maxLength: 40 }), (actions) => {
        const state = run(initialBrowseState(ROWS), ...actions);
        const count = state.rows.length;
        expect(state.selected).toBeGreaterThanOrEqual(0);
        expect(state.selected).toBeLessThanOrEqual(Math.max(count - 1, 0));
        expect(state.selected).toBeGreaterThanOrEqual(state.scroll);
        expect(state.selected).toBeLessThan(state.scroll + state.listHeight);
      }),
    );
  });
});

describe('the tree, open-only and the prompts', () => {
  const start = run(initialBrowseState(ROWS), { type: 'list-height', height: 10 });
  const enter = press('\r', { return: true });
  const esc = press('', { escape: true });

  it('t shows children under their parent with their depth, and keeps the selection', () => {
    const tree = treeOrder(ROWS);
    const at = (id: string): number => tree.rows.findIndex((s) => s.stable_id === id);
    expect(tree.rows).toHaveLength(ROWS.length);
    expect(at(ids.fork)).toBeGreaterThan(at(ids.origin));
    expect(at(ids.clear)).toBeGreaterThan(at(ids.origin));
    expect(tree.depths[at(ids.origin)]).toBe(0);
    expect(tree.depths[at(ids.fork)]).toBe(1);
    expect(tree.depths[at(ids.clear)]).toBe(1);
    const forkIndex = ROWS.findIndex((s) => s.stable_id === ids.fork);
    const selected = run(start, ...Array.from({ length: forkIndex }, () => press('j')));
    const toggled = run(selected, press('t'));
    expect(toggled.tree).toBe(true);
    expect(selectedSession(toggled)?.stable_id).toBe(ids.fork);
    expect(toggled.rows.map((s) => s.stable_id)).toEqual(tree.rows.map((s) => s.stable_id));
    const back = run(toggled, press('t'));
    expect(back.rows).toEqual(ROWS);
    expect(back.depths.every((depth) => depth === 0)).toBe(true);
  });

  it('a session whose parent is not listed is a root; a cycle hides nothing', () => {
    const [first, second] = ROWS;
    const cyclic = [
      { ...first!, parent_session_id: second!.stable_id },
      { ...second!, parent_session_id: first!.stable_id },
    ];
    expect(treeOrder(cyclic).rows).toHaveLength(2);
    expect(treeOrder([ROWS.find((s) => s.stable_id === ids.fork)!]).depths).toEqual([0]);
  });

  it('o asks for the open sessions only, and back', () => {
    const open = run(start, press('o'));
    expect(needsRows(open)).toBe(true);
    expect(wantedFilter(open)).toEqual({ query: '', openOnly: true, generation: 0 });
    const loaded = run(open, { type: 'rows', filter: wantedFilter(open), rows: ROWS.slice(0, 2) });
    expect(needsRows(loaded)).toBe(false);
    expect(loaded.rows).toHaveLength(2);
    expect(needsRows(run(loaded, press('o')))).toBe(true);
  });

  it('a asks for an alias (the current one to edit), Enter asks for the write, Esc cancels', () => {
    const asking = run(start, press('a'));
    expect(asking.mode).toBe('prompt');
    expect(asking.prompt).toEqual({ kind: 'alias', text: ROWS[0]?.alias ?? '' });
    const typed = run(asking, press('u', { ctrl: true }), press('new-name'), enter);
    expect(typed.mode).toBe('list');
    expect(typed.write).toEqual({ kind: 'alias', session: ROWS[0], value: 'new-name' });
    // While a write is pending, no other prompt opens.
    expect(run(typed, press('c')).mode).toBe('list');
    expect(run(asking, esc)).toMatchObject({ mode: 'list', prompt: null, write: null });
  });

  it('c asks for the outcome and refuses one that does not exist; l asks for a task', () => {
    const closing = run(start, press('c'), press('finished'), enter);
    expect(closing.mode).toBe('prompt');
    expect(closing.write).toBeNull();
    expect(closing.status).toMatch(/^the outcome is one of: /);
    const done = run(closing, press('u', { ctrl: true }), press('done'), enter);
    expect(done.write).toEqual({ kind: 'close', session: ROWS[0], value: 'done' });
    const empty = run(start, press('l'), enter);
    expect(empty).toMatchObject({ mode: 'prompt', write: null, status: 'type a task, or Esc' });
    const linked = run(start, press('l'), press(' T-142 '), enter);
    expect(linked.write).toEqual({ kind: 'link', session: ROWS[0], value: 'T-142' });
  });

  it('a write answered shows its message until the next key, and reloads the rows', () => {
    const asked = run(start, press('l'), press('T-1'), enter);
    const answered = run(asked, { type: 'written', message: 'linked to task T-1' });
    expect(answered).toMatchObject({ write: null, status: 'linked to task T-1', generation: 1 });
    expect(needsRows(answered)).toBe(true);
    expect(run(answered, press('j')).status).toBeNull();
  });
});

describe('search through what was said', () => {
  it('turns what was typed into an FTS5 query of quoted prefixes, from 3 characters on', () => {
    expect(contentQuery('oa')).toBeNull();
    expect(contentQuery('  ')).toBeNull();
    expect(contentQuery('oauth redir')).toBe('"oauth"* "redir"*');
    expect(contentQuery('say "hi" -x')).toBe('"say"* """hi"""* "-x"*');
  });

  it('adds the sessions found by content after the rows of the same filter, with snippets', () => {
    const filter = { query: 'cookie', openOnly: false, generation: 0 };
    const typed = run(initialBrowseState(ROWS), press('/'), press('cookie'));
    const rows = run(typed, { type: 'rows', filter, rows: ROWS.slice(0, 1) });
    const hits = [
      { session: ROWS[0]!, snippet: 'the \u0002cookie\u0003 path' },
      { session: ROWS[2]!, snippet: 'a \u0002cookie\u0003 domain' },
    ];
    const found = run(rows, { type: 'hits', filter, hits });
    expect(found.rows.map((s) => s.stable_id)).toEqual([ROWS[0]!.stable_id, ROWS[2]!.stable_id]);
    expect(found.snippets.get(ROWS[2]!.stable_id)).toBe('a \u0002cookie\u0003 domain');
    // Hits of another filter are stale; new rows drop the snippets.
    const stale = { ...filter, query: 'cook' };
    expect(run(rows, { type: 'hits', filter: stale, hits })).toBe(rows);
    const more = run(found, press('s'));
    const next = { ...filter, query: 'cookies' };
    expect(run(more, { type: 'rows', filter: next, rows: [] }).snippets.size).toBe(0);
  });

  it('with open-only, leaves out sessions found by content that are not open', () => {
    const filter = { query: 'cookie', openOnly: true, generation: 0 };
    const typed = run(initialBrowseState(ROWS), press('o'), press('/'), press('cookie'));
    const rows = run(typed, { type: 'rows', filter, rows: [] });
    const closed = { ...ROWS[1]!, outcome: 'done' as const };
    const found = run(rows, { type: 'hits', filter, hits: [{ session: closed, snippet: 's' }] });
    expect(found.rows).toEqual([]);
  });
});

describe('splitKeyPresses', () => {
  it('splits a chunk of typed characters into one press each, Enter and Backspace included', () => {
    expect(splitKeyPresses({ input: 'jj' })).toEqual([{ input: 'j' }, { input: 'j' }]);
    expect(splitKeyPresses({ input: 'ok\r\u007f' })).toEqual([
      { input: 'o' },
      { input: 'k' },
      { input: '\r', return: true },
      { input: '\u007f', backspace: true },
    ]);
  });

  it('splits a control character from the text typed after it: Ctrl-U then a new filter', () => {
    expect(splitKeyPresses({ input: '\u0015ab' })).toEqual([
      { input: 'u', ctrl: true },
      { input: 'a' },
      { input: 'b' },
    ]);
    const typing = run(initialBrowseState(ROWS), press('/'), press('checkout'));
    const keys = splitKeyPresses({ input: '\u0015zebra' });
    expect(run(typing, ...keys.map((key): BrowseAction => ({ type: 'key', key }))).query).toBe(
      'zebra',
    );
  });

  it('leaves single keys and special keys whole', () => {
    expect(splitKeyPresses({ input: 'q' })).toEqual([{ input: 'q' }]);
    expect(splitKeyPresses({ input: '', upArrow: true })).toEqual([{ input: '', upArrow: true }]);
    expect(splitKeyPresses({ input: 'ab', ctrl: true })).toEqual([{ input: 'ab', ctrl: true }]);
  });
});
