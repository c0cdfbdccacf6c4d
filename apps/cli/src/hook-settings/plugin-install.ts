/**
 * The sessions-db hook installed as a Claude Code plugin (`claude plugin install …`): Claude Code
 * lists installed plugins in `<claude home>/plugins/installed_plugins.json` and enables them in a
 * settings file's `enabledPlugins` (docs/hook.md#installed-twice). A plugin loaded for one run with
 * `--plugin-dir` leaves no trace on disk and cannot be seen here.
 *
 * @packageDocumentation
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** The name in the hook package's `.claude-plugin/plugin.json`. */
export const PLUGIN_NAME = 'sessions-db';

/** One installation of our plugin. */
export interface PluginInstall {
  /** `name@marketplace`, the id Claude Code uses. */
  readonly id: string;
  /** The scope Claude Code installed it in (`user`, `project`, `local`, `managed`). */
  readonly scope: string;
  readonly install_path: string;
  /** Whether a settings file's `enabledPlugins` turns it on. */
  readonly enabled: boolean;
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function readJson(path: string): unknown {
  try {
    return JSON.parse(readFileSync(path, 'utf8')) as unknown;
  } catch {
    return undefined;
  }
}

/** The plugin ids a settings value enables (`enabledPlugins: { "<id>": true }`). */
export function enabledPluginIds(settings: unknown): string[] {
  if (!isObject(settings) || !isObject(settings['enabledPlugins'])) return [];
  return Object.entries(settings['enabledPlugins'])
    .filter(([, on]) => on === true)
    .map(([id]) => id);
}

/**
 * Our plugin's installations listed in `<claudeHome>/plugins/installed_plugins.json` (its
 * `version: 2` form, `{ plugins: { "<id>": [{ scope, installPath, … }] } }`, and the older form
 * with one object per id): those whose installed `.claude-plugin/plugin.json` is named
 * `sessions-db`. `enabledIds` are the ids the settings files enable. Never throws.
 */
export function findPluginInstalls(
  claudeHome: string,
  enabledIds: ReadonlySet<string>,
): PluginInstall[] {
  const listed = readJson(join(claudeHome, 'plugins', 'installed_plugins.json'));
  if (!isObject(listed) || !isObject(listed['plugins'])) return [];
  const found: PluginInstall[] = [];
  for (const [id, value] of Object.entries(listed['plugins'])) {
    for (const entry of Array.isArray(value) ? value : [value]) {
      if (!isObject(entry) || typeof entry['installPath'] !== 'string') continue;
      const installPath = entry['installPath'];
      const manifest = readJson(join(installPath, '.claude-plugin', 'plugin.json'));
      if (!isObject(manifest) || manifest['name'] !== PLUGIN_NAME) continue;
      found.push({
        id,
        scope: typeof entry['scope'] === 'string' ? entry['scope'] : 'user',
        install_path: installPath,
        enabled: enabledIds.has(id),
      });
    }
  }
  return found;
}
