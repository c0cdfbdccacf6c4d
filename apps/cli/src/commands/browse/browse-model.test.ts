import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createFixtureStore } from '../../test-support/fixture.js';
import type { BrowseAction, BrowseState, KeyPress } from './browse-model.js';
import {
  browseReducer,
  initialBrowseState,
  selectedSession,
  splitKeyPresses,
} from './browse-model.js';

const { store } = createFixtureStore();
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
    const stale = run(selected, { type: 'rows', query: 'other', rows: [] });
    expect(stale.rows).toBe(ROWS);
    const narrowed = run(selected, { type: 'rows', query: 'x', rows: [ROWS[3]!, second!] });
    expect(narrowed.loadedQuery).toBe('x');
    expect(selectedSession(narrowed)?.stable_id).toBe(second?.stable_id);
    const empty = run(selected, { type: 'rows', query: 'x', rows: [] });
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
      fc.subarray([...ROWS]).map((rows) => ({ type: 'rows', query: '', rows }) as const),
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

  it('leaves single keys and special keys whole', () => {
    expect(splitKeyPresses({ input: 'q' })).toEqual([{ input: 'q' }]);
    expect(splitKeyPresses({ input: '', upArrow: true })).toEqual([{ input: '', upArrow: true }]);
    expect(splitKeyPresses({ input: 'ab', ctrl: true })).toEqual([{ input: 'ab', ctrl: true }]);
  });
});
