import type * as InkModule from 'ink';
import type * as ReactModule from 'react';
import type { SessionRecord } from '@sessions-db/projection';
import type { FindQuery, SessionsStore } from '@sessions-db/store';
import type { InteractiveTerminal } from '../../cli-deps.js';
import { CliError, EXIT } from '../../cli-error.js';
import type { CommandContext } from '../../command-context.js';
import type { CommandSpec } from '../../command-spec.js';
import { stringArg } from '../../args.js';
import { agentFlag } from '../../enums.js';
import { runSearch } from '../search/search-data.js';
import type { BrowseSource, BrowseUi } from './browse-app.js';
import { createBrowseApp, firstFrame, firstScreenRows } from './browse-app.js';
import type { BrowseExit, BrowseFilter } from './browse-model.js';
import { resumeSession } from '../resume/resume-command.js';

/** Sessions the list holds at most (the most recent first); the filter narrows within the store. */
export const BROWSE_LIMIT = 500;

/** Sessions the content search adds at most. */
export const CONTENT_HITS = 50;

/** Switch to the terminal's alternate screen and back (what full-screen programs do). */
const ALTERNATE_SCREEN_ON = '\u001b[?1049h';
const ALTERNATE_SCREEN_OFF = '\u001b[?1049l';
const HIDE_CURSOR = '\u001b[?25l';
const SHOW_CURSOR = '\u001b[?25h';
const CURSOR_HOME = '\u001b[H';

/** What a write did, in one line: `alias set`, or the store's error. */
function writeMessage(
  result:
    { readonly ok: true } | { readonly ok: false; readonly error: { readonly message: string } },
  done: string,
): string {
  return result.ok ? done : `error: ${result.error.message}`;
}

/**
 * The rows, content hits and writes of the browser on the store: `find`'s query with the filter
 * as its text (and `outcome: open` for open-only), `search`'s read-only content search, and the
 * writes of `alias`, `close` and `link`.
 */
export function storeBrowseSource(
  store: SessionsStore,
  context: CommandContext,
  agent?: string,
): BrowseSource {
  const byAgent = agent === undefined ? {} : { agent };
  return {
    async search(query) {
      // `search`'s own function, read-only: the content index is searched as it is, never written.
      const data = await runSearch(
        { query, limit: CONTENT_HITS, ...byAgent },
        context,
        'read-only',
      );
      const { redactSecrets } = await import('@sessions-db/git-transcript');
      return data.hits.flatMap((hit) => {
        const session = data.sessions.get(hit.stable_id);
        return session === undefined ? [] : [{ session, snippet: redactSecrets(hit.snippet) }];
      });
    },
    list(filter, limit = BROWSE_LIMIT) {
      const find: FindQuery = {
        limit,
        ...(filter.query === '' ? {} : { text: filter.query }),
        ...(filter.openOnly ? { outcome: 'open' as const } : {}),
        ...byAgent,
      };
      return store.findSessions(find);
    },
    write(write) {
      const id = write.session.stable_id;
      if (write.kind === 'alias')
        return writeMessage(store.setAlias(id, write.value), `alias set: ${write.value}`);
      if (write.kind === 'close')
        return writeMessage(
          store.closeSession(id, { outcome: write.value }),
          `closed as ${write.value}`,
        );
      return writeMessage(
        store.linkSession(id, { tasks: [write.value] }),
        `linked to task ${write.value}`,
      );
    },
  };
}

/** A module loaded with `import()`: its namespace, or the CommonJS exports under `default`. */
function moduleExports<T>(loaded: unknown): T {
  const namespace = loaded as { default?: unknown };
  return (namespace.default ?? namespace) as T;
}

/** React and Ink: the CLI's own bundle of them, else the installed packages (from sources). */
async function loadUi(terminal: InteractiveTerminal): Promise<BrowseUi> {
  if (terminal.uiModule !== undefined) {
    const bundle = (await terminal.importModule(terminal.uiModule)) as BrowseUi;
    return { React: bundle.React, Ink: bundle.Ink };
  }
  const [react, ink] = await Promise.all([
    terminal.importModule('react'),
    terminal.importModule('ink'),
  ]);
  return { React: moduleExports<typeof ReactModule>(react), Ink: ink as typeof InkModule };
}

function notATerminal(what: string): CliError {
  return new CliError(
    'NOT_A_TERMINAL',
    `browse is a full-screen program and ${what} is not a terminal; use find or search to print sessions`,
    { exitCode: EXIT.usage },
  );
}

/** `sessions-db browse`: a full-screen browser of the store's sessions. */
export const browseCommand: CommandSpec = {
  command: 'browse',
  describe: 'Browse sessions full-screen: type to filter, see details, Enter to resume',
  builder: (yargs) =>
    yargs
      .option('agent', agentFlag('Only sessions of this coding agent'))
      .example('$0 browse', 'Open on the most recent sessions; / filters, ? shows the keys')
      .example('$0 browse --agent codex', 'Only Codex CLI sessions')
      .example('$0 --store ~/sessions browse', 'Browse another store'),
  async run(args, context) {
    if (context.global.json) {
      throw new CliError(
        'NOT_A_TERMINAL',
        'browse is interactive and has no JSON output; use find --json or search --json',
        { exitCode: EXIT.usage },
      );
    }
    if (!context.deps.isTTY.stdout) throw notATerminal('stdout');
    const terminal = context.deps.openTerminal?.();
    if (terminal === undefined) throw notATerminal('stdin');
    const store = await context.openStore();
    const source = storeBrowseSource(store, context, stringArg(args, 'agent'));
    const everything: BrowseFilter = { query: '', openOnly: false, generation: 0 };
    // The first screen is drawn at once from only the rows it shows (one more says whether there
    // are more), before the rest of the list is queried and before React and Ink load; Ink then
    // draws over it from the top left: the same rows, the columns as wide as the whole list needs.
    const shown = firstScreenRows(terminal.stdout);
    const firstRows = source.list(everything, Math.min(shown + 1, BROWSE_LIMIT));
    const more = firstRows.length > shown;
    const first = firstFrame(
      firstRows.slice(0, shown),
      terminal.stdout,
      context.paint,
      context.deps.now(),
      more,
    );
    // Set by the app when it ends (a closure TypeScript cannot follow: hence the cast).
    let exit = { kind: 'quit' } as BrowseExit;
    try {
      // Raw mode from now on: keys typed meanwhile (Ctrl-C included) wait for Ink instead of
      // echoing or interrupting.
      terminal.stdin.setRawMode(true);
      terminal.stdout.write(
        `${ALTERNATE_SCREEN_ON}${HIDE_CURSOR}${first.join('\r\n')}${CURSOR_HOME}`,
      );
      // The whole list (the same first rows: the order is total), for the app.
      const initialRows: readonly SessionRecord[] = more ? source.list(everything) : firstRows;
      const ui = await loadUi(terminal);
      const BrowseApp = createBrowseApp(ui);
      const app = ui.Ink.render(
        ui.React.createElement(BrowseApp, {
          source,
          initialRows,
          paint: context.paint,
          now: () => context.deps.now(),
          onExit: (chosen) => {
            exit = chosen;
          },
        }),
        { stdin: terminal.stdin, stdout: terminal.stdout, patchConsole: false },
      );
      await app.waitUntilExit();
    } finally {
      terminal.stdout.write(`${SHOW_CURSOR}${ALTERNATE_SCREEN_OFF}`);
      terminal.stdin.setRawMode(false);
      terminal.release();
    }
    // Enter: the browser is gone; the session's agent gets the terminal, as `resume` gives it.
    if (exit.kind === 'resume')
      return resumeSession(context, store, exit.session, {
        print: false,
        cwd: undefined,
        passthrough: [],
      });
    return { json: null, text: '' };
  },
};
