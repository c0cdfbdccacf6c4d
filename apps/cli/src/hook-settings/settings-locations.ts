import { join } from 'node:path';

/** Where `hook install` writes: Claude Code's user, project or local settings. */
export type SettingsScope = 'user' | 'project' | 'local';

/** Every scope, in the order `hook status` reports them. */
export const SETTINGS_SCOPES: readonly SettingsScope[] = ['user', 'project', 'local'];

/**
 * The settings file of a scope: user `<claudeHome>/settings.json`, project
 * `<cwd>/.claude/settings.json`, local `<cwd>/.claude/settings.local.json`.
 */
export function settingsPathFor(
  scope: SettingsScope,
  where: { readonly claudeHome: string; readonly cwd: string },
): string {
  switch (scope) {
    case 'user':
      return join(where.claudeHome, 'settings.json');
    case 'project':
      return join(where.cwd, '.claude', 'settings.json');
    case 'local':
      return join(where.cwd, '.claude', 'settings.local.json');
  }
}
