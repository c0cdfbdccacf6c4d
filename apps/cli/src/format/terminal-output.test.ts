// Every renderer, fed every class of hostile text through the data it shows (titles, prompts,
// branches, aliases, tasks, close reasons) and through its arguments, prints no control character
// but newline and tab, and no colour sequence that is not ours; --json escapes C1 and bidi.
import { describe, expect, it } from 'vitest';
import {
  createFixedStore,
  csidOf,
  memoryDeps,
  runCli,
  seedSession,
} from '../test-support/harness.js';

const HOSTILE = [
  '\u001b]52;c;ZWNobyBwd25lZA==\u0007', // OSC 52: write the clipboard
  '\u001b[2J\u001b[H', // clear the screen
  '\u001b]8;;https://evil.example\u001b\\link\u001b]8;;\u001b\\', // OSC 8 hyperlink
  '\u001b]0;title\u0007', // window title
  'x\ry', // carriage return
  'a\b\bz', // backspace
  '\u009b2J', // C1 CSI
  'file\u202etxt.sh', // bidi override
  '\u2066iso\u2069', // bidi isolate
  '\u001b[8mhidden\u001b[0m', // concealed text
].join(' ');

/** Any control but newline and tab; any ESC that does not start one of our colour sequences. */
const FORBIDDEN =
  // eslint-disable-next-line no-control-regex
  /[\u0000-\u0008\u000b-\u001a\u001c-\u001f\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]|\u001b(?!\[(?:(?:0|1|2|3|4|7|22|23|24|27|3\d|4\d|9[0-7]|10[0-7])(?:;|m))+)/;
const RAW_IN_JSON = /[\u007f-\u009f\u061c\u200e\u200f\u202a-\u202e\u2066-\u2069]/;

function hostileStore(): {
  run: (tty: boolean, ...argv: string[]) => ReturnType<typeof runCli>;
  id: string;
} {
  const store = createFixedStore();
  const id = seedSession(store, {
    csid: csidOf(1),
    ts: '2026-03-01T10:00:00.000Z',
    cwd: `/home/u/${HOSTILE}`,
    branch: `fix/${HOSTILE}`,
    prompt: `prompt ${HOSTILE}`,
    aiTitle: `ai ${HOSTILE}`,
    customTitle: `custom ${HOSTILE}`,
  });
  const child = seedSession(store, { csid: csidOf(2), ts: '2026-03-01T11:00:00.000Z' });
  store.setParent(child, id, { kind: 'fork' });
  store.setAlias(id, `alias${HOSTILE.replace(/\s/g, '')}`);
  store.linkSession(id, { tasks: [`T-${HOSTILE}`], projects: [`p-${HOSTILE}`] });
  store.closeSession(child, { outcome: 'abandoned', reason: `why ${HOSTILE}` });
  return {
    id,
    run: (tty, ...argv) =>
      runCli(argv, memoryDeps(store, { isTTY: { stdout: tty, stderr: tty }, columns: 200 })),
  };
}

describe('terminal output is safe', () => {
  for (const tty of [false, true]) {
    it(`human output of every reading command (${tty ? 'colour' : 'no colour'})`, async () => {
      const { run, id } = hostileStore();
      for (const argv of [
        ['find'],
        ['find', '--all'],
        ['show', id],
        ['tree', id],
        ['tree', id, '--ancestors'],
        ['show', `nope${HOSTILE}`],
        ['alias', id, `again${HOSTILE.replace(/\s/g, '')}`, '--dry-run'],
        ['link', id, '--task', `T2${HOSTILE}`],
        ['close', id, '--outcome', 'done', '--reason', `r ${HOSTILE}`],
        ['reopen', id, '--reason', `r ${HOSTILE}`],
        ['find', '--state', `x${HOSTILE}`],
      ]) {
        const result = await run(tty, ...argv);
        expect(result.stdout + result.stderr, argv.join(' ')).not.toMatch(FORBIDDEN);
      }
    });
  }

  it('--json escapes C1 and bidi controls and keeps the values', async () => {
    const { run, id } = hostileStore();
    for (const argv of [['find'], ['show', id], ['tree', id], ['show', `nope${HOSTILE}`]]) {
      const result = await run(false, ...argv, '--json');
      expect(result.stdout, argv.join(' ')).not.toMatch(RAW_IN_JSON);
      expect(() => JSON.parse(result.stdout) as unknown).not.toThrow();
    }
    const shown = JSON.parse((await run(false, 'show', id, '--json')).stdout) as {
      session?: { ai_title?: string };
      ai_title?: string;
    };
    expect(JSON.stringify(shown)).toContain(JSON.stringify(`ai ${HOSTILE}`).slice(1, -1));
  });
});
