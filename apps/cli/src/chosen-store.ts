import type { CommandContext } from './command-context.js';

/** Store sources the user chose for this run (`--store`, `--root`, `SESSIONS_DB_ROOT`). */
const CHOSEN_STORE_SOURCES: ReadonlySet<string> = new Set(['arg', 'root', 'env', 'env-compat']);

/**
 * The store directory when the user chose it for this run (`--store`, `--root`,
 * `SESSIONS_DB_ROOT`), else `null`: what `hook install` and `mcp install` write into the command
 * they install, so it reads and records there whatever the agent's environment holds.
 */
export async function chosenStoreDir(context: CommandContext): Promise<string | null> {
  const paths = await context.deps.locateStore(context.location);
  return paths !== null && CHOSEN_STORE_SOURCES.has(paths.source) ? paths.dir : null;
}
