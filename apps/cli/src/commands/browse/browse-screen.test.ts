import { describe, expect, it } from 'vitest';
import { createPaint } from '../../format/colors.js';
import { displayWidth } from '../../format/text-width.js';
import { createFixtureStore } from '../../test-support/fixture.js';
import { NOW, createFixedStore, csidOf, seedSession } from '../../test-support/harness.js';
import type { BrowseState } from './browse-model.js';
import { browseReducer, initialBrowseState } from './browse-model.js';
import { browseLayout, browseScreen } from './browse-screen.js';

const { store } = createFixtureStore();
const ROWS = store.findSessions({});
const plain = createPaint(false);
const coloured = createPaint(true);

function stateFor(height: number, rows = ROWS): BrowseState {
  return browseReducer(initialBrowseState(rows), {
    type: 'list-height',
    height: browseLayout(height).listHeight,
  });
}

describe('browseScreen', () => {
  it('draws exactly the terminal height: title, list, details pane, footer last', () => {
    const screen = browseScreen(stateFor(24), { width: 100, height: 24, now: NOW, paint: plain });
    expect(screen).toHaveLength(24);
    expect(screen[0]).toBe(`sessions-db browse  ${ROWS.length} sessions`);
    expect(screen[1]).toMatch(/^ {2}session +age +state +project +branch$/);
    expect(screen[2]?.startsWith('› ')).toBe(true);
    expect(screen.at(-1)).toBe(
      '↑↓/jk move  Enter resume  / filter  t tree  o open only  a alias  c close  l link  ? help  q quit',
    );
    const rule = screen.findIndex((line) => line.startsWith('───'));
    expect(rule).toBeGreaterThan(2);
    expect(screen[rule + 2]).toBe(`id        ${ROWS[0]?.stable_id}`);
  });

  it('fits any width and height, dropping the pane on a short terminal', () => {
    for (const [width, height] of [
      [40, 8],
      [60, 14],
      [80, 24],
      [200, 50],
      [20, 3],
    ] as const) {
      const screen = browseScreen(stateFor(height), { width, height, now: NOW, paint: plain });
      expect(screen).toHaveLength(height);
      for (const line of screen) expect(displayWidth(line)).toBeLessThanOrEqual(width);
      expect(screen.some((line) => line.startsWith('───'))).toBe(height >= 12);
      if (width >= 20) expect(screen.at(-1)).toMatch(/\? help {2}q quit$/);
    }
  });

  it('colours only with colour on (NO_COLOR gives a plain paint)', () => {
    const view = { width: 100, height: 24, now: NOW };
    const withColour = browseScreen(stateFor(24), { ...view, paint: coloured }).join('\n');
    const without = browseScreen(stateFor(24), { ...view, paint: plain }).join('\n');
    expect(withColour).toContain('\u001b[');
    expect(without).not.toContain('\u001b');
  });

  it('never lets stored text reach the terminal as a control sequence', () => {
    const hostile = createFixedStore();
    seedSession(hostile, {
      csid: csidOf(9),
      ts: '2026-03-09T10:00:00.000Z',
      branch: 'main\u001b]52;c;aGk=\u0007',
      prompt: 'clear the screen \u001b[2J\u001b[H now \u202e',
    });
    const rows = hostile.findSessions({});
    for (const paint of [plain, coloured]) {
      const screen = browseScreen(stateFor(24, rows), { width: 120, height: 24, now: NOW, paint });
      const text = screen.join('\n');
      for (const raw of ['\u001b[2J', '\u001b]', '\u0007', '\u202e'])
        expect(text).not.toContain(raw);
      expect(text).toContain('clear the screen');
    }
  });

  it('shows the filter being typed, the filter kept, and an empty result', () => {
    const typing = browseReducer(stateFor(24), { type: 'key', key: { input: '/' } });
    const typed = browseReducer(typing, { type: 'key', key: { input: 'zz' } });
    const none = browseReducer(typed, {
      type: 'rows',
      filter: { query: 'zz', openOnly: false, generation: 0 },
      rows: [],
    });
    const view = { width: 100, height: 24, now: NOW, paint: plain };
    const screen = browseScreen(none, view);
    expect(screen[0]).toBe('sessions-db browse  0 sessions  / zz▏');
    expect(screen).toContain('  (no sessions matched)');
    const kept = browseReducer(none, { type: 'key', key: { input: '\r', return: true } });
    expect(browseScreen(kept, view)[0]).toBe('sessions-db browse  0 sessions  filter: zz');
  });

  it('marks the tree and open-only in the title and indents children with their edge', () => {
    const tree = browseReducer(stateFor(24), { type: 'key', key: { input: 't' } });
    const screen = browseScreen(tree, { width: 120, height: 24, now: NOW, paint: plain });
    expect(screen[0]).toBe(`sessions-db browse  ${ROWS.length} sessions  [tree]`);
    expect(screen.some((line) => /^(?:› | {2})└ fork /.test(line))).toBe(true);
    expect(screen.some((line) => /^(?:› | {2})└ clear /.test(line))).toBe(true);
    const open = browseReducer(tree, { type: 'key', key: { input: 'o' } });
    expect(browseScreen(open, { width: 120, height: 24, now: NOW, paint: plain })[0]).toBe(
      `sessions-db browse  ${ROWS.length} sessions  [tree] [open only]`,
    );
  });

  it('shows a prompt in the footer, and a refused answer beside it', () => {
    const asking = browseReducer(stateFor(24), { type: 'key', key: { input: 'c' } });
    const typed = browseReducer(asking, { type: 'key', key: { input: 'nope' } });
    const view = { width: 160, height: 24, now: NOW, paint: plain };
    expect(browseScreen(typed, view).at(-1)).toMatch(
      /^close .+: nope▏ {2}Enter saves, Esc cancels$/,
    );
    const refused = browseReducer(typed, { type: 'key', key: { input: '\r', return: true } });
    expect(browseScreen(refused, view).at(-1)).toMatch(/: nope▏ {2}the outcome is one of: open, /);
  });

  it('shows what was said that matched, the match marked', () => {
    const filter = { query: 'loop', openOnly: false, generation: 0 };
    const typed = browseReducer(stateFor(24), { type: 'key', key: { input: '/' } });
    const loop = browseReducer(typed, { type: 'key', key: { input: 'loop' } });
    const rows = browseReducer(loop, { type: 'rows', filter, rows: ROWS.slice(0, 1) });
    const found = browseReducer(rows, {
      type: 'hits',
      filter,
      hits: [{ session: ROWS[0]!, snippet: 'the redirect \u0002loops\u0003 forever' }],
    });
    const view = { width: 100, height: 24, now: NOW };
    expect(browseScreen(found, { ...view, paint: plain })).toContain(
      'said      the redirect [loops] forever',
    );
    expect(browseScreen(found, { ...view, paint: coloured }).join('\n')).toContain(
      coloured.yellow('loops'),
    );
  });

  it('shows the help instead of the list after ?', () => {
    const help = browseReducer(stateFor(24), { type: 'key', key: { input: '?' } });
    const screen = browseScreen(help, { width: 100, height: 24, now: NOW, paint: plain });
    expect(screen).toHaveLength(24);
    expect(screen[1]).toBe('Keys');
    expect(screen.join('\n')).toContain('q  Esc         quit (Ctrl-C too)');
  });
});
