import { isChildOf, parentIdOf, sortChildren } from '@sessions-db/projection';
import type { SessionRecord } from '@sessions-db/projection';
import { OUTCOME_VALUES } from '../../enums.js';

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
 * One character of a chunk as the key it is: Enter, Tab, Backspace, Escape; a control character
 * (`\x01`-`\x1a`) as Ctrl and its letter, as Ink reports it when it arrives alone (Ctrl-U is
 * `\x15`); anything else as typed text.
 */
function characterKey(character: string): KeyPress {
  const named = CHARACTER_KEYS[character];
  if (named !== undefined) return { input: character, ...named };
  const code = character.charCodeAt(0);
  if (character.length === 1 && code >= 0x01 && code <= 0x1a)
    return { input: String.fromCharCode(code + 0x60), ctrl: true };
  return { input: character };
}

/**
 * The key presses in one chunk of terminal input. Keys typed faster than the screen reads them,
 * or pasted, arrive as one chunk (`jj`, `dark\r`, Ctrl-U then `zebra`): a chunk of plain and
 * control characters is split into one press per character, so each still counts. A special key
 * (arrow, page) is one press already.
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
  return characters.map(characterKey);
}

/** What the browser is doing: the list, typing a filter, answering a prompt, or the help. */
export type BrowseMode = 'list' | 'filter' | 'prompt' | 'help';

/** Why the browser ended (the command acts on it once the screen is gone). */
export type BrowseExit =
  | { readonly kind: 'quit' }
  /** Enter: resume this session with its agent, the terminal handed over. */
  | { readonly kind: 'resume'; readonly session: SessionRecord };

/** What a prompt asks for: `a` an alias, `c` the outcome to close with, `l` a task to link. */
export type PromptKind = 'alias' | 'close' | 'link';

/** A write the browser asks for (the caller performs it and answers with `written`). */
export interface BrowseWrite {
  readonly kind: PromptKind;
  readonly session: SessionRecord;
  /** The alias, the outcome, or the task. */
  readonly value: string;
}

/** The filters the rows are loaded for. */
export interface BrowseFilter {
  readonly query: string;
  /** `o`: only sessions whose outcome is `open`. */
  readonly openOnly: boolean;
  /** Bumped after each write, so the rows are loaded again. */
  readonly generation: number;
}

/** The whole state of the browser, changed only by {@link browseReducer}. */
export interface BrowseState {
  readonly mode: BrowseMode;
  /** The filter as typed. */
  readonly query: string;
  readonly openOnly: boolean;
  readonly generation: number;
  /** The filters the shown rows were loaded for. */
  readonly loadedFilter: BrowseFilter;
  /** The sessions as loaded, most recent progress first (then those found by content). */
  readonly loaded: readonly SessionRecord[];
  /** Snippets of what was said that matched the filter, by stable id (content search). */
  readonly snippets: ReadonlyMap<string, string>;
  /** `t`: children shown indented under their parent. */
  readonly tree: boolean;
  /** The sessions shown, in screen order (tree order when `tree`). */
  readonly rows: readonly SessionRecord[];
  /** Each shown row's depth in the tree (all 0 without `tree`). */
  readonly depths: readonly number[];
  /** Index of the selected row (0 when the list is empty). */
  readonly selected: number;
  /** Index of the first row on screen. */
  readonly scroll: number;
  /** Rows the list area holds (set from the terminal's size). */
  readonly listHeight: number;
  /** The open prompt and what was typed into it. */
  readonly prompt: { readonly kind: PromptKind; readonly text: string } | null;
  /** A write asked for and not yet answered. */
  readonly write: BrowseWrite | null;
  /** A line for the footer: what the last write did, or why a prompt's answer was refused. */
  readonly status: string | null;
  /** Set once the browser should end. */
  readonly exit: BrowseExit | null;
}

/** What changes the state: a key, loaded rows, a new list height (resize), a write's answer. */
export type BrowseAction =
  | { readonly type: 'key'; readonly key: KeyPress }
  | {
      readonly type: 'rows';
      readonly filter: BrowseFilter;
      readonly rows: readonly SessionRecord[];
    }
  | {
      readonly type: 'hits';
      readonly filter: BrowseFilter;
      readonly hits: readonly ContentHit[];
    }
  | { readonly type: 'list-height'; readonly height: number }
  | { readonly type: 'written'; readonly message: string };

/** A session found through the content index, with the snippet that matched. */
export interface ContentHit {
  readonly session: SessionRecord;
  /** The matching text, the match marked as `search` marks it. */
  readonly snippet: string;
}

function sameFilter(a: BrowseFilter, b: BrowseFilter): boolean {
  return a.query === b.query && a.openOnly === b.openOnly && a.generation === b.generation;
}

/**
 * The content-index query for what was typed: each word as a quoted prefix (`"oauth"* "redir"*`),
 * all required, so that any typing is a valid FTS5 query that matches as you type; `null` when
 * fewer than {@link MIN_CONTENT_QUERY} characters were typed.
 */
export function contentQuery(text: string): string | null {
  const words = text
    .trim()
    .split(/\s+/)
    .filter((word) => word !== '');
  if (words.join(' ').length < MIN_CONTENT_QUERY) return null;
  return words.map((word) => `"${word.replaceAll('"', '""')}"*`).join(' ');
}

/** Characters typed before the filter also searches what was said. */
export const MIN_CONTENT_QUERY = 3;

/** The filters `state` wants rows for. */
export function wantedFilter(state: BrowseState): BrowseFilter {
  return { query: state.query, openOnly: state.openOnly, generation: state.generation };
}

/** Whether the shown rows were loaded for other filters than the wanted ones. */
export function needsRows(state: BrowseState): boolean {
  const loaded = state.loadedFilter;
  return (
    loaded.query !== state.query ||
    loaded.openOnly !== state.openOnly ||
    loaded.generation !== state.generation
  );
}

/**
 * Sessions in tree order: each root (a session whose parent is not among `rows`) in the order
 * given, followed by its descendants depth first, children by creation (`sortChildren`), with
 * each one's depth. A cycle cannot hide a session: whatever a walk missed is added as a root.
 */
export function treeOrder(rows: readonly SessionRecord[]): {
  rows: SessionRecord[];
  depths: number[];
} {
  const byId = new Map(rows.map((session) => [session.stable_id, session]));
  const children = new Map<string, SessionRecord[]>();
  const roots: SessionRecord[] = [];
  for (const session of rows) {
    const parent = parentIdOf(session);
    if (parent !== null && byId.has(parent) && isChildOf(session, session.stable_id, parent)) {
      children.set(parent, [...(children.get(parent) ?? []), session]);
    } else roots.push(session);
  }
  const ordered: SessionRecord[] = [];
  const depths: number[] = [];
  const seen = new Set<string>();
  const walk = (session: SessionRecord, depth: number): void => {
    if (seen.has(session.stable_id)) return;
    seen.add(session.stable_id);
    ordered.push(session);
    depths.push(depth);
    for (const child of sortChildren(children.get(session.stable_id) ?? [])) walk(child, depth + 1);
  };
  for (const root of roots) walk(root, 0);
  for (const session of rows) walk(session, 0);
  return { rows: ordered, depths };
}

/** `state` with its shown rows rebuilt from `loaded` (tree order or as loaded). */
function arrange(state: BrowseState, loaded: readonly SessionRecord[]): BrowseState {
  const keep = selectedSession(state)?.stable_id;
  const shown = state.tree ? treeOrder(loaded) : { rows: [...loaded], depths: loaded.map(() => 0) };
  const index = keep === undefined ? -1 : shown.rows.findIndex((s) => s.stable_id === keep);
  return select({ ...state, loaded, rows: shown.rows, depths: shown.depths }, Math.max(index, 0));
}

/** The state before anything is loaded, or with the rows of the empty filter. */
export function initialBrowseState(rows: readonly SessionRecord[] = []): BrowseState {
  return {
    mode: 'list',
    query: '',
    openOnly: false,
    generation: 0,
    loadedFilter: { query: '', openOnly: false, generation: 0 },
    loaded: rows,
    snippets: new Map(),
    tree: false,
    rows,
    depths: rows.map(() => 0),
    selected: 0,
    scroll: 0,
    listHeight: 1,
    prompt: null,
    write: null,
    status: null,
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

/** Text typed into the filter line or a prompt: printable characters only. */
function typedText(key: KeyPress): string {
  if (key.ctrl || key.meta || key.tab || key.return || key.escape) return '';
  // eslint-disable-next-line no-control-regex
  return key.input.replace(/[\u0000-\u001f\u007f-\u009f]/g, '');
}

/** A line of text after an editing key: Backspace, Ctrl-U, or typed characters. */
function edited(text: string, key: KeyPress): string {
  if (key.backspace || key.delete) return [...text].slice(0, -1).join('');
  if (key.ctrl && key.input === 'u') return '';
  return text + typedText(key);
}

function onFilterKey(state: BrowseState, key: KeyPress): BrowseState {
  if (key.escape) return { ...state, mode: 'list', query: '' };
  if (key.return) return { ...state, mode: 'list' };
  const moved = move(state, key, false);
  if (moved !== null) return moved;
  return { ...state, query: edited(state.query, key) };
}

function onPromptKey(state: BrowseState, key: KeyPress): BrowseState {
  const prompt = state.prompt;
  const session = selectedSession(state);
  if (prompt === null || session === null || key.escape)
    return { ...state, mode: 'list', prompt: null };
  if (!key.return) return { ...state, prompt: { ...prompt, text: edited(prompt.text, key) } };
  const value = prompt.text.trim();
  if (value === '') return { ...state, status: `type ${promptNoun(prompt.kind)}, or Esc` };
  if (prompt.kind === 'close' && !OUTCOME_VALUES.includes(value))
    return { ...state, status: `the outcome is one of: ${OUTCOME_VALUES.join(', ')}` };
  return { ...state, mode: 'list', prompt: null, write: { kind: prompt.kind, session, value } };
}

/** What a prompt asks for, in words. */
export function promptNoun(kind: PromptKind): string {
  if (kind === 'alias') return 'an alias';
  if (kind === 'close') return `an outcome (${OUTCOME_VALUES.join(', ')})`;
  return 'a task';
}

const PROMPT_KEYS: Readonly<Record<string, PromptKind>> = { a: 'alias', c: 'close', l: 'link' };

function onListKey(state: BrowseState, key: KeyPress): BrowseState {
  if (key.input === 'q' || key.escape) return { ...state, exit: { kind: 'quit' } };
  if (key.input === '/') return { ...state, mode: 'filter' };
  if (key.input === '?') return { ...state, mode: 'help' };
  if (key.input === 't') return arrange({ ...state, tree: !state.tree }, state.loaded);
  if (key.input === 'o') return { ...state, openOnly: !state.openOnly };
  const kind = PROMPT_KEYS[key.input];
  if (kind !== undefined) {
    const session = selectedSession(state);
    if (session === null || state.write !== null) return state;
    const text = kind === 'alias' ? (session.alias ?? '') : '';
    return { ...state, mode: 'prompt', prompt: { kind, text } };
  }
  if (key.return) {
    const session = selectedSession(state);
    return session === null ? state : { ...state, exit: { kind: 'resume', session } };
  }
  return move(state, key, true) ?? state;
}

/**
 * The browser's state after `action`. Pure: loading rows, writing and ending the program are the
 * caller's (it loads rows for {@link wantedFilter} whenever {@link needsRows}, performs `write`
 * and answers with `written`, and ends once `exit` is set).
 * List keys: arrows or `j`/`k` move, PgUp/PgDn page, `g`/`G` first/last, Enter resumes the
 * selected session, `/` types a filter, `t` toggles the tree, `o` open sessions only, `a` alias,
 * `c` close (asks for the outcome), `l` link a task, `?` help, `q` or Esc quit. In the filter line
 * or a prompt: typing edits, Backspace deletes, Ctrl-U empties; in the filter Enter keeps it and
 * Esc clears it, arrows still move; in a prompt Enter submits and Esc cancels. Any key closes the
 * help.
 */
export function browseReducer(state: BrowseState, action: BrowseAction): BrowseState {
  switch (action.type) {
    case 'rows': {
      const { filter } = action;
      if (!sameFilter(filter, wantedFilter(state))) return state;
      return arrange({ ...state, loadedFilter: filter, snippets: new Map() }, action.rows);
    }
    case 'hits': {
      // Only for the rows on screen: hits of another filter are stale.
      if (!sameFilter(action.filter, state.loadedFilter)) return state;
      const known = new Set(state.loaded.map((s) => s.stable_id));
      const found = action.hits
        .map((hit) => hit.session)
        .filter((s) => !known.has(s.stable_id) && (!state.openOnly || s.outcome === 'open'));
      const snippets = new Map(action.hits.map((hit) => [hit.session.stable_id, hit.snippet]));
      return arrange({ ...state, snippets }, [...state.loaded, ...found]);
    }
    case 'list-height':
      return select({ ...state, listHeight: Math.max(action.height, 1) }, state.selected);
    case 'written':
      return { ...state, write: null, status: action.message, generation: state.generation + 1 };
    case 'key': {
      if (state.exit !== null) return state;
      const current = state.status === null ? state : { ...state, status: null };
      if (current.mode === 'help') return { ...current, mode: 'list' };
      if (current.mode === 'prompt') return onPromptKey(current, action.key);
      return current.mode === 'filter'
        ? onFilterKey(current, action.key)
        : onListKey(current, action.key);
    }
  }
}
