/**
 * Pure edits of Claude Code's `settings.json` value: add, find and remove the sessions-db hook
 * entries under `hooks.SessionStart` and `hooks.SessionEnd`, leaving every other key as it is.
 *
 * @packageDocumentation
 */
import { HOOK_SESSION_START_TIMEOUT_SECONDS } from '@sessions-db/store/env';

/** The SessionStart matcher install writes: every source (`fork` since Claude Code 2.1.214). */
export const SESSION_START_MATCHER = 'startup|resume|clear|compact|fork';

/**
 * Seconds Claude Code waits for the SessionStart hook; the hook's own SessionStart deadline is
 * derived from the same constant, so the two always agree (docs/hook.md#deadlines).
 */
export const SESSION_START_TIMEOUT_SECONDS = HOOK_SESSION_START_TIMEOUT_SECONDS;

/** The events install writes, in order. */
export const HOOK_EVENTS = ['SessionStart', 'SessionEnd'] as const;

/** One of {@link HOOK_EVENTS}. */
export type HookEvent = (typeof HOOK_EVENTS)[number];

/** Substrings that mark a hook command as ours (plus the installed binary's path, when known). */
export const DEFAULT_COMMAND_MARKERS: readonly string[] = ['sessions-db-hook', '@sessions-db/hook'];

/** A settings value that does not have the shape Claude Code documents. */
export class SettingsShapeError extends Error {
  override readonly name = 'SettingsShapeError';
  readonly code = 'SETTINGS_SHAPE';
}

type JsonObject = Record<string, unknown>;

function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Whether `command` is a sessions-db hook command: it contains one of `markers`. */
export function isSessionsDbHookCommand(command: unknown, markers: readonly string[]): boolean {
  return (
    typeof command === 'string' &&
    markers.some((marker) => marker !== '' && command.includes(marker))
  );
}

function hooksObject(settings: JsonObject, create: boolean): JsonObject | undefined {
  const hooks = settings['hooks'];
  if (hooks === undefined) {
    if (!create) return undefined;
    const created: JsonObject = {};
    settings['hooks'] = created;
    return created;
  }
  if (!isObject(hooks))
    throw new SettingsShapeError(
      `"hooks" is not an object (found ${JSON.stringify(hooks)?.slice(0, 40)})`,
    );
  return hooks;
}

function eventGroups(hooks: JsonObject, event: HookEvent, create: boolean): unknown[] | undefined {
  const groups = hooks[event];
  if (groups === undefined) {
    if (!create) return undefined;
    const created: unknown[] = [];
    hooks[event] = created;
    return created;
  }
  if (!Array.isArray(groups)) throw new SettingsShapeError(`"hooks.${event}" is not an array`);
  return groups;
}

/** Every `{ type: 'command', command }` hook object of an event, with the group it sits in. */
function commandHooks(groups: readonly unknown[]): { group: JsonObject; hook: JsonObject }[] {
  const found: { group: JsonObject; hook: JsonObject }[] = [];
  for (const group of groups) {
    if (!isObject(group) || !Array.isArray(group['hooks'])) continue;
    for (const hook of group['hooks']) {
      if (isObject(hook) && typeof hook['command'] === 'string') found.push({ group, hook });
    }
  }
  return found;
}

function newGroup(event: HookEvent, command: string): JsonObject {
  return event === 'SessionStart'
    ? {
        matcher: SESSION_START_MATCHER,
        hooks: [{ type: 'command', command, timeout: SESSION_START_TIMEOUT_SECONDS }],
      }
    : { hooks: [{ type: 'command', command }] };
}

/** A copy of `settings` to edit (the input stays as it is); they must be a JSON object. */
function editableCopy(settings: unknown): JsonObject {
  if (!isObject(settings))
    throw new SettingsShapeError('the settings file does not hold a JSON object');
  return structuredClone(settings);
}

/** What {@link installHookEntries} did. */
export type InstallAction = 'installed' | 'updated' | 'unchanged';

/**
 * Settings with the hook installed: for each event, an entry whose command is `command` is kept
 * as is; one of ours with another command (an older path) gets `command`; otherwise a new group
 * is appended. The input is not modified.
 *
 * @throws SettingsShapeError when the settings, `hooks` or an event list has an unexpected type.
 */
export function installHookEntries(
  settings: unknown,
  command: string,
  markers: readonly string[],
): { readonly settings: JsonObject; readonly action: InstallAction } {
  const next = editableCopy(settings);
  const hooks = hooksObject(next, true) as JsonObject;
  let added = 0;
  let updated = 0;
  for (const event of HOOK_EVENTS) {
    const groups = eventGroups(hooks, event, true) as unknown[];
    const ours = commandHooks(groups).filter(({ hook }) =>
      isSessionsDbHookCommand(hook['command'], [...markers, command]),
    );
    if (ours.some(({ hook }) => hook['command'] === command)) continue;
    const first = ours[0];
    if (first !== undefined) {
      first.hook['command'] = command;
      updated += 1;
    } else {
      groups.push(newGroup(event, command));
      added += 1;
    }
  }
  return {
    settings: next,
    action: added > 0 ? 'installed' : updated > 0 ? 'updated' : 'unchanged',
  };
}

/**
 * Settings without any of our hook entries (commands containing a marker) under SessionStart and
 * SessionEnd; groups, event lists and a `hooks` object left empty by the removal are dropped.
 * The input is not modified.
 *
 * @throws SettingsShapeError when the settings, `hooks` or an event list has an unexpected type.
 */
export function uninstallHookEntries(
  settings: unknown,
  markers: readonly string[],
): { readonly settings: JsonObject; readonly removed: number } {
  const next = editableCopy(settings);
  const hooks = hooksObject(next, false);
  if (hooks === undefined) return { settings: next, removed: 0 };
  let removed = 0;
  for (const event of HOOK_EVENTS) {
    const groups = eventGroups(hooks, event, false);
    if (groups === undefined) continue;
    for (let g = groups.length - 1; g >= 0; g -= 1) {
      const group = groups[g];
      if (!isObject(group) || !Array.isArray(group['hooks'])) continue;
      const list = group['hooks'] as unknown[];
      const kept = list.filter(
        (hook) => !(isObject(hook) && isSessionsDbHookCommand(hook['command'], markers)),
      );
      if (kept.length === list.length) continue;
      removed += list.length - kept.length;
      if (kept.length === 0) groups.splice(g, 1);
      else group['hooks'] = kept;
    }
    if (groups.length === 0) delete hooks[event];
  }
  if (removed > 0 && Object.keys(hooks).length === 0) delete next['hooks'];
  return { settings: next, removed };
}

/** The commands of our entries per event (empty lists when not installed). Never throws. */
export function findHookEntries(
  settings: unknown,
  markers: readonly string[],
): Record<HookEvent, string[]> {
  const found: Record<HookEvent, string[]> = { SessionStart: [], SessionEnd: [] };
  if (!isObject(settings) || !isObject(settings['hooks'])) return found;
  const hooks = settings['hooks'];
  for (const event of HOOK_EVENTS) {
    const groups = hooks[event];
    if (!Array.isArray(groups)) continue;
    for (const { hook } of commandHooks(groups)) {
      if (isSessionsDbHookCommand(hook['command'], markers))
        found[event].push(String(hook['command']));
    }
  }
  return found;
}
