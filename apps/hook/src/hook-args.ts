/** What the hook's command line says (`sessions-db-hook [--store DIR]`). */
export interface HookArgs {
  /**
   * The store directory written into the command by `sessions-db hook install --store DIR` (or
   * with `SESSIONS_DB_ROOT` set): the hook records there, whatever its environment says.
   */
  readonly store?: string;
}

/**
 * Read the hook's arguments (`process.argv.slice(2)`): `--store DIR` or `--store=DIR`. Anything
 * else is ignored (a hook must never fail on its command line: it would lose the session).
 */
export function parseHookArgs(argv: readonly string[]): HookArgs {
  let store: string | undefined;
  for (let i = 0; i < argv.length; i += 1) {
    const arg = argv[i] ?? '';
    if (arg === '--store') {
      store = argv[i + 1];
      i += 1;
    } else if (arg.startsWith('--store=')) {
      store = arg.slice('--store='.length);
    }
  }
  return store === undefined || store.trim() === '' ? {} : { store };
}
