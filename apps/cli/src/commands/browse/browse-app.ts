import type * as InkModule from 'ink';
import type * as ReactModule from 'react';
import type { SessionRecord } from '@sessions-db/projection';
import type { Paint } from '../../format/colors.js';
import type {
  BrowseExit,
  BrowseFilter,
  BrowseWrite,
  ContentHit,
  KeyPress,
} from './browse-model.js';
import {
  browseReducer,
  contentQuery,
  initialBrowseState,
  needsRows,
  splitKeyPresses,
} from './browse-model.js';
import { browseLayout, browseScreen } from './browse-screen.js';

/** React and Ink as loaded at run time (ES modules the CLI bundle cannot hold). */
export interface BrowseUi {
  readonly React: typeof ReactModule;
  readonly Ink: typeof InkModule;
}

/** Where the browser's rows come from (the store's queries; read-only). */
export interface BrowseSource {
  /**
   * The sessions matching `filter` (all when its query is empty), most recent progress first: at
   * most `limit` of them, or as many as the browser lists when it is absent.
   */
  list(filter: BrowseFilter, limit?: number): readonly SessionRecord[];
  /**
   * The sessions whose transcripts match `query` (a content-index query), best first, with their
   * snippets; read-only (the index is searched as it is, never written).
   */
  search(query: string): Promise<readonly ContentHit[]>;
  /** Perform `write` (alias, close, link); a one-line account of what happened, or of the error. */
  write(write: BrowseWrite): string;
}

/** Props of the browser's root component. */
export interface BrowseAppProps {
  readonly source: BrowseSource;
  /** The rows of the empty filter, loaded before the first frame. */
  readonly initialRows: readonly SessionRecord[];
  readonly paint: Paint;
  /** Epoch ms the ages are measured from. */
  now(): number;
  /** Called once with why the browser ended, before Ink exits. */
  onExit(exit: BrowseExit): void;
}

/** How long typing must pause before the filter queries the store. */
export const FILTER_DEBOUNCE_MS = 80;

/** How long the shown rows of a filter stay before the content index is searched as well. */
export const CONTENT_DEBOUNCE_MS = 250;

/** The size of a terminal (80×24 when it does not say). */
export function sizeOf(stdout: NodeJS.WriteStream): { width: number; height: number } {
  return {
    width: stdout.columns > 0 ? stdout.columns : 80,
    height: stdout.rows > 0 ? stdout.rows : 24,
  };
}

/** The rows a frame takes on a terminal of `rows`: one fewer (see {@link createBrowseApp}). */
export function frameHeight(rows: number): number {
  return Math.max(rows - 1, 1);
}

/** The session rows the first screen on `stdout` shows (the height of its list). */
export function firstScreenRows(stdout: NodeJS.WriteStream): number {
  return browseLayout(frameHeight(sizeOf(stdout).height)).listHeight;
}

/**
 * The first frame of the browser on `stdout`, as the app draws it before any key: written by the
 * command while React and Ink load, so the first screen does not wait for them. `rows` may be
 * only the first screenful ({@link firstScreenRows}) with `more` set when more are still to be
 * queried: the title then says they are loading.
 */
export function firstFrame(
  rows: readonly SessionRecord[],
  stdout: NodeJS.WriteStream,
  paint: Paint,
  now: number,
  more = false,
): string[] {
  const { width, height: terminalRows } = sizeOf(stdout);
  const height = frameHeight(terminalRows);
  const state = browseReducer(initialBrowseState(rows), {
    type: 'list-height',
    height: browseLayout(height).listHeight,
  });
  return browseScreen(state, { width, height, now, paint, loading: more });
}

/** Ink's key flags as the model's {@link KeyPress}. */
function keyPress(input: string, key: InkModule.Key): KeyPress {
  return {
    input,
    upArrow: key.upArrow,
    downArrow: key.downArrow,
    pageUp: key.pageUp,
    pageDown: key.pageDown,
    home: key.home,
    end: key.end,
    return: key.return,
    escape: key.escape,
    backspace: key.backspace,
    delete: key.delete,
    ctrl: key.ctrl,
    meta: key.meta,
    tab: key.tab,
  };
}

/**
 * The browser's root component, built on the given React and Ink: it keeps the state of
 * `browseReducer`, loads rows for the filter (debounced), follows the terminal's size and draws
 * `browseScreen` one line per row, one row short of the terminal (a frame as tall as the terminal
 * makes Ink clear the whole screen on every update).
 */
export function createBrowseApp(ui: BrowseUi): (props: BrowseAppProps) => ReactModule.ReactNode {
  const { React, Ink } = ui;
  const h = React.createElement;
  return function BrowseApp(props: BrowseAppProps): ReactModule.ReactNode {
    const { stdout } = Ink.useStdout();
    const { exit } = Ink.useApp();
    const [size, setSize] = React.useState(() => sizeOf(stdout));
    const [state, dispatch] = React.useReducer(
      browseReducer,
      props.initialRows,
      initialBrowseState,
    );
    const height = frameHeight(size.height);
    const { listHeight } = browseLayout(height);

    React.useEffect(() => {
      const onResize = (): void => setSize(sizeOf(stdout));
      stdout.on('resize', onResize);
      return () => {
        stdout.off('resize', onResize);
      };
    }, [stdout]);

    React.useEffect(() => {
      dispatch({ type: 'list-height', height: listHeight });
    }, [listHeight]);

    const { source } = props;
    const loadNeeded = needsRows(state);
    const { query, openOnly, generation } = state;
    React.useEffect(() => {
      if (!loadNeeded) return undefined;
      const filter = { query, openOnly, generation };
      const timer = setTimeout(() => {
        dispatch({ type: 'rows', filter, rows: source.list(filter) });
      }, FILTER_DEBOUNCE_MS);
      return () => clearTimeout(timer);
    }, [loadNeeded, query, openOnly, generation, source]);

    // Once the rows of a filter are shown, what was said is searched too (after a longer pause:
    // it reads the content index).
    const { loadedFilter } = state;
    React.useEffect(() => {
      const fts = contentQuery(loadedFilter.query);
      if (fts === null) return undefined;
      let current = true;
      const timer = setTimeout(() => {
        void source.search(fts).then(
          (hits) => {
            if (current) dispatch({ type: 'hits', filter: loadedFilter, hits });
          },
          () => undefined,
        );
      }, CONTENT_DEBOUNCE_MS);
      return () => {
        current = false;
        clearTimeout(timer);
      };
    }, [loadedFilter, source]);

    const { write } = state;
    React.useEffect(() => {
      if (write === null) return;
      dispatch({ type: 'written', message: source.write(write) });
    }, [write, source]);

    const { onExit } = props;
    React.useEffect(() => {
      if (state.exit === null) return;
      onExit(state.exit);
      exit();
    }, [state.exit, onExit, exit]);

    Ink.useInput((input, key) => {
      for (const press of splitKeyPresses(keyPress(input, key)))
        dispatch({ type: 'key', key: press });
    });

    const lines = browseScreen(state, {
      width: size.width,
      height,
      now: props.now(),
      paint: props.paint,
    });
    return h(
      Ink.Box,
      // No fixed width: Ink lays out at the terminal's width of the moment, so a frame drawn for
      // the old size right after a resize is cut to the new width instead of wrapping.
      { flexDirection: 'column' },
      ...lines.map((line, index) =>
        h(Ink.Text, { key: index, wrap: 'truncate-end' }, line === '' ? ' ' : line),
      ),
    );
  };
}
