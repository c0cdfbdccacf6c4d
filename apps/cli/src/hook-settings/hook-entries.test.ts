import { describe, expect, it } from 'vitest';
import {
  DEFAULT_COMMAND_MARKERS,
  SettingsShapeError,
  findHookEntries,
  installHookEntries,
  isSessionsDbHookCommand,
  uninstallHookEntries,
} from './hook-entries.js';

const CMD = 'node "/opt/lib/node_modules/@sessions-db/hook/dist/bin.js"';
const MARKERS = [...DEFAULT_COMMAND_MARKERS, CMD];

const OTHER_HOOKS = {
  model: 'opus',
  permissions: { allow: ['Bash(pnpm test:*)'] },
  hooks: {
    SessionStart: [
      { matcher: 'startup', hooks: [{ type: 'command', command: 'echo "$PWD" >> ~/starts.log' }] },
    ],
    PreToolUse: [{ matcher: 'Bash', hooks: [{ type: 'command', command: '~/bin/guard.sh' }] }],
  },
};

describe('installHookEntries', () => {
  it('adds a SessionStart (every source, timeout 10) and a SessionEnd entry to empty settings', () => {
    const { settings, action } = installHookEntries({}, CMD, MARKERS);
    expect(action).toBe('installed');
    expect(settings).toEqual({
      hooks: {
        SessionStart: [
          {
            matcher: 'startup|resume|clear|compact|fork',
            hooks: [{ type: 'command', command: CMD, timeout: 10 }],
          },
        ],
        SessionEnd: [{ hooks: [{ type: 'command', command: CMD }] }],
      },
    });
  });

  it('keeps every other key and hook, appending after them, and does not modify its input', () => {
    const input = structuredClone(OTHER_HOOKS);
    const { settings } = installHookEntries(input, CMD, MARKERS);
    expect(input).toEqual(OTHER_HOOKS);
    expect(settings['model']).toBe('opus');
    expect(settings['permissions']).toEqual(OTHER_HOOKS.permissions);
    const hooks = settings['hooks'] as Record<string, unknown[]>;
    expect(hooks['PreToolUse']).toEqual(OTHER_HOOKS.hooks.PreToolUse);
    expect(hooks['SessionStart']).toHaveLength(2);
    expect(hooks['SessionStart']?.[0]).toEqual(OTHER_HOOKS.hooks.SessionStart[0]);
    expect(Object.keys(settings)).toEqual(['model', 'permissions', 'hooks']);
  });

  it('is idempotent, and moves an older command of ours to the new one in place', () => {
    const once = installHookEntries(OTHER_HOOKS, CMD, MARKERS).settings;
    const twice = installHookEntries(once, CMD, MARKERS);
    expect(twice.action).toBe('unchanged');
    expect(twice.settings).toEqual(once);
    const moved = installHookEntries(once, 'sessions-db-hook', MARKERS);
    expect(moved.action).toBe('updated');
    expect(findHookEntries(moved.settings, MARKERS)).toEqual({
      SessionStart: ['sessions-db-hook'],
      SessionEnd: ['sessions-db-hook'],
    });
  });

  it('refuses settings of an unexpected shape', () => {
    expect(() => installHookEntries([], CMD, MARKERS)).toThrow(SettingsShapeError);
    expect(() => installHookEntries({ hooks: [] }, CMD, MARKERS)).toThrow(
      '"hooks" is not an object',
    );
    expect(() => installHookEntries({ hooks: { SessionEnd: {} } }, CMD, MARKERS)).toThrow(
      '"hooks.SessionEnd" is not an array',
    );
  });
});

describe('uninstallHookEntries', () => {
  it('round-trips: install then uninstall gives the original settings back', () => {
    for (const original of [
      {},
      OTHER_HOOKS,
      { hooks: { SessionEnd: [{ hooks: [{ type: 'command', command: 'say bye' }] }] } },
    ]) {
      const installed = installHookEntries(original, CMD, MARKERS).settings;
      const { settings, removed } = uninstallHookEntries(installed, MARKERS);
      expect(removed).toBe(2);
      expect(settings).toEqual(original);
    }
  });

  it("removes only our hooks from a group it shares with someone else's", () => {
    const shared = {
      hooks: {
        SessionStart: [
          {
            hooks: [
              { type: 'command', command: 'echo hi' },
              { type: 'command', command: 'sessions-db-hook' },
            ],
          },
        ],
      },
    };
    expect(uninstallHookEntries(shared, MARKERS).settings).toEqual({
      hooks: { SessionStart: [{ hooks: [{ type: 'command', command: 'echo hi' }] }] },
    });
  });

  it('changes nothing when the hook is not installed', () => {
    expect(uninstallHookEntries(OTHER_HOOKS, MARKERS)).toEqual({
      settings: OTHER_HOOKS,
      removed: 0,
    });
    expect(uninstallHookEntries({}, MARKERS)).toEqual({ settings: {}, removed: 0 });
  });
});

describe('isSessionsDbHookCommand', () => {
  it('recognises our commands by their markers only', () => {
    expect(isSessionsDbHookCommand('sessions-db-hook', MARKERS)).toBe(true);
    expect(
      isSessionsDbHookCommand('node "/x/node_modules/@sessions-db/hook/dist/bin.js"', MARKERS),
    ).toBe(true);
    expect(
      isSessionsDbHookCommand('node "/work/apps/hook/dist/bin.js"', [
        ...MARKERS,
        '/work/apps/hook/dist/bin.js',
      ]),
    ).toBe(true);
    expect(isSessionsDbHookCommand('echo sessions-db', MARKERS)).toBe(false);
    expect(isSessionsDbHookCommand(42, MARKERS)).toBe(false);
  });
});
