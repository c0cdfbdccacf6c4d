import type { SessionRecord } from '@sessions-db/projection';

/**
 * One key press as the browser sees it (the fields of Ink's `Key` it uses, so this module stays
 * free of Ink): `input` is the typed text, the flags name the special keys.
 */
export interface KeyPress {
  readonly input: string;
  readonly upArrow?: boolean;
  readonly downArrow?: boolean;
  readonly pageUp?: boolean;
  readonly pageDown?: boolean;
  readonly home?: boolean;
  readonly end?: boolean;
  readonly return?: boolean;
  readonly escape?: boolean;
  readonly backspace?: boolean;
  readonly delete?: boolean;
  readonly ctrl?: boolean;
  readonly meta?: boolean;
  readonly tab?: boolean;
}

/** Characters that arrive as text but mean a key (a terminal sends Enter as CR, Backspace as DEL). */
const CHARACTER_KEYS: Readonly<Record<string, Omit<KeyPress, 'input'>>> = {
  '\r': { return: true },
  '\n': { return: true },
  '\t': { tab: true },
  '\u007f': { backspace: true },
  '\b': { backspace: true },
  '\u001b': { escape: true },
};

/**
 * The key presses in one chunk of terminal input. Keys typed faster than the screen reads them,
 * or pasted, arrive as one chunk (`jj`, `dark\r`): a chunk of plain characters is split into one
 * press per character, so each still counts. A special key (arrow, page) is one press already.
 */
export function splitKeyPresses(key: KeyPress): KeyPress[] {
  const characters = [...key.input];
  const special =
    key.upArrow ||
    key.downArrow ||
    key.pageUp ||
    key.pageDown ||
    key.home ||
    key.end ||
    key.ctrl ||
    key.meta;
  if (characters.length <= 1 || special) return [key];
  return characters.map((character) => ({ input: character, ...CHARACTER_KEYS[character] }));
}

/** What the browser is doing: moving through the list, typing a filter, or reading the help. */
export type BrowseMode = 'list' | 'filter' | 'help';

/** Why the browser ended (the command acts on it once the screen is gone). */
export type BrowseExit =
  | { readonly kind: 'quit' }
  /** Enter: resume this session with its agent, the terminal handed over. */
  | { readonly kind: 'resume'; readonly session: SessionRecord };

/** The whole state of the browser, changed only by {@link browseReducer}. */
export interface BrowseState {
  readonly mode: BrowseMode;
  /** The filter as typed. */
  readonly query: string;
  /** The filter the shown rows were loaded for. */
  readonly loadedQuery: string;
  /** The sessions shown, most recent progress first. */
  readonly rows: readonly SessionRecord[];
  /** Index of the selected row (0 when the list is empty). */
  readonly selected: number;
  /** Index of the first row on screen. */
  readonly scroll: number;
  /** Rows the list area holds (set from the terminal's size). */
  readonly listHeight: number;
  /** Set once the browser should end. */
  readonly exit: BrowseExit | null;
}

/** What changes the state: a key, newly loaded rows, or a new list height (resize). */
export type BrowseAction =
  | { readonly type: 'key'; readonly key: KeyPress }
  | { readonly type: 'rows'; readonly query: string; readonly rows: readonly SessionRecord[] }
  | { readonly type: 'list-height'; readonly height: number };

/** The state before anything is loaded. */
export function initialBrowseState(rows: readonly SessionRecord[] = []): BrowseState {
  return {
    mode: 'list',
    query: '',
    loadedQuery: '',
    rows,
    selected: 0,
    scroll: 0,
    listHeight: 1,
    exit: null,
  };
}

/** The selected session, `null` when the list is empty. */
export function selectedSession(state: BrowseState): SessionRecord | null {
  return state.rows[state.selected] ?? null;
}

function clamp(value: number, low: number, high: number): number {
  return Math.max(low, Math.min(high, value));
}

/** `state` with `selected` moved to `index` (clamped) and the list scrolled to keep it visible. */
function select(state: BrowseState, index: number): BrowseState {
  const last = Math.max(state.rows.length - 1, 0);
  const selected = clamp(index, 0, last);
  const height = Math.max(state.listHeight, 1);
  let scroll = clamp(state.scroll, 0, Math.max(state.rows.length - height, 0));
  if (selected < scroll) scroll = selected;
  if (selected >= scroll + height) scroll = selected - height + 1;
  return { ...state, selected, scroll };
}

/** Keys that move the selection, in every mode but help (`j`/`k` only in the list). */
function move(state: BrowseState, key: KeyPress, letters: boolean): BrowseState | null {
  const page = Math.max(state.listHeight - 1, 1);
  if (key.upArrow || (letters && key.input === 'k')) return select(state, state.selected - 1);
  if (key.downArrow || (letters && key.input === 'j')) return select(state, state.selected + 1);
  if (key.pageUp) return select(state, state.selected - page);
  if (key.pageDown) return select(state, state.selected + page);
  if (key.home || (letters && key.input === 'g')) return select(state, 0);
  if (key.end || (letters && key.input === 'G')) return select(state, state.rows.length - 1);
  return null;
}

/** Text typed into the filter line: printable characters only. */
function typedText(key: KeyPress): string {
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return '';
  // eslint-disable-next-line no-control-regex
  return key.input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

function onFilterKey(state: BrowseState, key: KeyPress): BrowseState {
  if (key.escape) return { ...state, mode: 'list', query: '' };
  if (key.return) return { ...state, mode: 'list' };
  if (key.backspace || key.delete)
    return { ...state, query: [...state.query].slice(0, -1).join('') };
  if (key.ctrl && key.input === 'u') return { ...state, query: '' };
  const moved = move(state, key, false);
  if (moved !== null) return moved;
  const text = typedText(key);
  return text === '' ? state : { ...state, query: state.query + text };
}

function onListKey(state: BrowseState, key: KeyPress): BrowseState {
  if (key.input === 'q' || key.escape) return { ...state, exit: { kind: 'quit' } };
  if (key.input === '/') return { ...state, mode: 'filter' };
  if (key.input === '?') return { ...state, mode: 'help' };
  if (key.return) {
    const session = selectedSession(state);
    return session === null ? state : { ...state, exit: { kind: 'resume', session } };
  }
  return move(state, key, true) ?? state;
}

/**
 * The browser's state after `action`. Pure: loading rows and ending the program are the caller's
 * (it loads rows for `query` whenever `query !== loadedQuery`, and ends once `exit` is set).
 * List keys: arrows or `j`/`k` move, PgUp/PgDn page, `g`/`G` first/last, Enter resumes the
 * selected session, `/` types a filter, `?` help, `q` or Esc quit. In the filter line: typing filters, Enter keeps the filter, Esc clears
 * it, Backspace deletes, Ctrl-U empties, arrows still move. Any key closes the help.
 */
export function browseReducer(state: BrowseState, action: BrowseAction): BrowseState {
  switch (action.type) {
    case 'rows': {
      if (action.query !== state.query) return state;
      const keep = selectedSession(state)?.stable_id;
      const index = keep === undefined ? -1 : action.rows.findIndex((s) => s.stable_id === keep);
      return select(
        { ...state, rows: action.rows, loadedQuery: action.query, scroll: 0 },
        Math.max(index, 0),
      );
    }
    case 'list-height':
      return select({ ...state, listHeight: Math.max(action.height, 1) }, state.selected);
    case 'key': {
      if (state.exit !== null) return state;
      if (state.mode === 'help') return { ...state, mode: 'list' };
      return state.mode === 'filter'
        ? onFilterKey(state, action.key)
        : onListKey(state, action.key);
    }
  }
}
