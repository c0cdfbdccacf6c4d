import { execFileSync } from 'node:child_process';
import { closeSync, existsSync, openSync, writeFileSync, writeSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readTranscriptMeta } from './read-transcript-meta.js';
import { sanitizeFirstPrompt } from './sanitize-first-prompt.js';
import { fixturePath, makeTempDir } from './test-support/temp-dir.js';

const SHOP = '/home/dev/shop';

function line(record: Record<string, unknown>): string {
  return `${JSON.stringify(record)}\n`;
}

function userLine(uuid: string, parentUuid: string | null, content: string): string {
  return line({
    parentUuid,
    isSidechain: false,
    userType: 'external',
    cwd: SHOP,
    sessionId: '0b6c3f7e-4d2a-4e8b-9c1f-2a3b4c5d6e7f',
    type: 'user',
    message: { role: 'user', content },
    uuid,
    timestamp: '2026-08-01T10:00:00.000Z',
  });
}

function assistantLine(uuid: string, parentUuid: string, text: string): string {
  return line({
    parentUuid,
    isSidechain: false,
    type: 'assistant',
    sessionId: '0b6c3f7e-4d2a-4e8b-9c1f-2a3b4c5d6e7f',
    message: { role: 'assistant', content: [{ type: 'text', text }] },
    uuid,
    timestamp: '2026-08-01T10:00:01.000Z',
  });
}

function writeTemp(name: string, content: string | Buffer): string {
  const path = join(makeTempDir(), name);
  writeFileSync(path, content);
  return path;
}

describe('readTranscriptMeta: fixtures', () => {
  it('startup: lineage, first human prompt, titles', () => {
    const meta = readTranscriptMeta(fixturePath('startup.jsonl'));
    expect(meta.status).toBe('ok');
    expect(meta.reason).toBeUndefined();
    expect(meta.sessionId).toBe('3f24c345-5d11-4193-8752-c5bd8ad9b7bb');
    // The parentless progress row carries a uuid, so it is the first lineage record (docs/claude-code.md).
    expect(meta.firstUuid).toBe('ac4c9b8b-b3cb-4fee-be7f-d36a571d84fe');
    expect(meta.firstParentUuid).toBeNull();
    expect(meta.lastUuid).toBe('b8d0dc53-8489-44b9-9e2c-fb8b323c8b2f');
    expect(meta.firstHumanPromptRaw).toContain('<ide_opened_file>');
    expect(sanitizeFirstPrompt(meta.firstHumanPromptRaw)).toBe(
      'fix the login redirect loop after the session cookie expires',
    );
    expect(meta.aiTitle).toBe('Fix login redirect loop on expired session');
    expect(meta.customTitle).toBeNull();
    expect(meta.leafUuids).toEqual(['b8d0dc53-8489-44b9-9e2c-fb8b323c8b2f']);
    expect(meta.cwd).toBe(SHOP);
    expect(meta.gitBranch).toBe('main');
    expect(meta.version).toBe('2.1.240');
    expect(meta.firstTimestamp).toBe('2026-08-05T18:05:55.101Z');
    expect(meta.lastTimestamp).toBe('2026-08-05T18:06:09.004Z');
    expect(meta.headUuids).toHaveLength(6);
    expect(meta.tailUuids).toEqual(meta.headUuids);
    expect(meta.forkedFrom).toBeNull();
    expect(meta.compactBoundaries).toEqual([]);
    expect(meta.bytesRead).toBe(meta.size);
    expect(meta.mtime).toMatch(/^\d{4}-\d\d-\d\dT/);
  });

  it('resume in the same file: one session id, last uuid and both bookmarks', () => {
    const meta = readTranscriptMeta(fixturePath('resume-same-file.jsonl'));
    expect(meta.sessionId).toBe('7c09a69b-eaa1-46d4-9650-c7de9747089d');
    expect(meta.firstUuid).toBe('3f0d7f4c-8b09-4baa-87c6-872e234ab1a8');
    expect(meta.lastUuid).toBe('9cc89062-5dcd-4c06-8c96-436ab884e166');
    expect(meta.leafUuids).toEqual([
      '828e94ea-e0d0-45c0-8de3-1e265e1bc2f4',
      '9cc89062-5dcd-4c06-8c96-436ab884e166',
    ]);
    expect(meta.firstHumanPromptRaw).toBe('add a quantity selector to the cart page');
    // First value wins for the envelope fields (docs/claude-code.md).
    expect(meta.version).toBe('2.1.238');
    expect(meta.gitBranch).toBe('main');
  });

  it('legacy resume copy: shares uuids with the original and keeps its old session id', () => {
    const original = readTranscriptMeta(fixturePath('legacy-resume-original.jsonl'));
    const copy = readTranscriptMeta(fixturePath('legacy-resume-copy.jsonl'));
    expect(copy.status).toBe('ok');
    expect(copy.sessionId).toBe('d1d8ea56-7d82-4827-b0a8-cde119a2a5ba');
    expect(copy.firstUuid).toBe(original.firstUuid);
    expect(copy.leafUuids).toEqual(['0eba55b7-48f2-43ca-81ed-5e45b67b2e61']);
    expect(copy.headUuids.filter((uuid) => original.tailUuids.includes(uuid))).toEqual([
      '61c7299a-55b4-4dc8-8cc0-6fa78c67dda6',
      '0eba55b7-48f2-43ca-81ed-5e45b67b2e61',
    ]);
    expect(copy.lastUuid).toBe('c683e1bc-f6af-48b2-84e9-21e49f4ae87b');
  });

  it('fork copy: forkedFrom names the origin, copied uuids are shared', () => {
    const origin = readTranscriptMeta(fixturePath('resume-same-file.jsonl'));
    const fork = readTranscriptMeta(fixturePath('fork-copy.jsonl'));
    expect(fork.sessionId).toBe('9ca550b0-5fd5-49be-bfbb-83c5f653a68a');
    expect(fork.forkedFrom).toEqual({
      sessionId: '7c09a69b-eaa1-46d4-9650-c7de9747089d',
      messageUuid: '3f0d7f4c-8b09-4baa-87c6-872e234ab1a8',
    });
    expect(fork.firstUuid).toBe(origin.firstUuid);
    expect(fork.lastUuid).toBe('17606f36-0167-4efc-9f74-ccc1ff5b88f3');
  });

  it('after /clear: rows carry the pre-clear id in session_id beside their own sessionId', () => {
    const origin = readTranscriptMeta(fixturePath('startup.jsonl'));
    const child = readTranscriptMeta(fixturePath('clear-child.jsonl'));
    expect(child.sessionId).toBe('5e1d7a90-2c4b-4f3e-8a61-9b0c7d2e4f18');
    expect(child.clearedFrom).toBe(origin.sessionId);
    expect(child.forkedFrom).toBeNull();
    expect(child.headUuids.filter((uuid) => origin.headUuids.includes(uuid))).toEqual([]);
    // Not after /clear: a session_id equal to sessionId, or none at all.
    expect(origin.clearedFrom).toBeNull();
    const same = writeTemp(
      'same.jsonl',
      line({
        type: 'user',
        uuid: 'u1',
        sessionId: 'S',
        session_id: 'S',
        message: { role: 'user', content: 'hi' },
      }),
    );
    expect(readTranscriptMeta(same).clearedFrom).toBeNull();
  });

  it('compaction: boundaries in file order; summaries are not the first prompt', () => {
    const meta = readTranscriptMeta(fixturePath('compaction.jsonl'));
    expect(meta.compactBoundaries).toEqual([
      '6dcbd471-ffe8-4d0e-90b6-60f608db901f',
      '24cc90c3-2495-46a9-b50a-80b988d37552',
    ]);
    expect(meta.firstHumanPromptRaw).toBe('migrate the orders table to bigint ids');
    expect(meta.lastUuid).toBe('7dd97c1b-f221-490e-a0c3-2187b5d1cf76');
    expect(meta.sessionId).toBe('e59009d1-5757-4f46-a1ef-54bc9053122b');
  });

  it('metadata rows: last titles win, PR links deduplicated, unknown types passed over', () => {
    const meta = readTranscriptMeta(fixturePath('metadata-rows.jsonl'));
    expect(meta.status).toBe('ok');
    expect(meta.aiTitle).toBe('Rename billing module to payments');
    expect(meta.customTitle).toBe('payments-rename');
    expect(meta.prLinks).toEqual([
      { number: 412, url: 'https://github.com/acme/shop/pull/412', repository: 'acme/shop' },
      { number: 413, url: 'https://github.com/acme/shop/pull/413', repository: 'acme/shop' },
    ]);
    expect(meta.leafUuids).toEqual(['30a016cb-d408-4149-a3d6-d4413a2e9113']);
    expect(meta.firstUuid).toBe('2a947209-9899-445c-84ae-2902147ff4a6');
    expect(meta.firstTimestamp).toBe('2026-08-06T07:59:58.001Z');
    expect(meta.lastUuid).toBe('30a016cb-d408-4149-a3d6-d4413a2e9113');
    expect(meta.firstHumanPromptRaw).toBe('rename the billing module to payments');
  });

  it('commands first: skips meta rows, command wrappers and reminder-only prompts', () => {
    const meta = readTranscriptMeta(fixturePath('commands-first.jsonl'));
    expect(meta.firstHumanPromptRaw).toBe('also document the release process in CLAUDE.md');
    expect(meta.firstUuid).toBe('ffd2d182-1993-407d-afc8-db8e9af9a1cb');
  });

  it('a corrupt middle line is skipped and the file stays ok', () => {
    const meta = readTranscriptMeta(fixturePath('corrupt-middle.jsonl'));
    expect(meta.status).toBe('ok');
    expect(meta.firstUuid).toBe('ce20f0de-e23c-4e68-816f-66a3907d76ea');
    expect(meta.lastUuid).toBe('048e3e98-edaf-45e2-909a-d9501e153b2a');
  });

  it('a cut last line is ignored', () => {
    const meta = readTranscriptMeta(fixturePath('cut-last-line.jsonl'));
    expect(meta.status).toBe('ok');
    expect(meta.lastUuid).toBe('f9130907-fbb8-4d41-a7b1-830633a9f0e5');
    expect(meta.tailUuids).toHaveLength(2);
  });

  it('CRLF line endings parse like LF', () => {
    const meta = readTranscriptMeta(fixturePath('crlf.jsonl'));
    expect(meta.status).toBe('ok');
    expect(meta.firstUuid).toBe('25cc4738-bef9-4b9a-8340-3422a4903f6d');
    expect(meta.lastUuid).toBe('c3634daf-d57b-4353-ba78-1d9d4b96dd39');
    expect(meta.aiTitle).toBe('Retry policy summary');
    expect(meta.cwd).toBe('C:\\Users\\dev\\shop');
    expect(meta.firstHumanPromptRaw).toBe('explain the retry policy in two lines');
  });

  it('a subagent transcript has no human prompt (sidechain)', () => {
    const path = fixturePath(
      'claude-home/projects/-home-dev-shop/f1f51224-3bfe-450a-9f5a-8bc36f9cfba2/subagents/agent-a2271d1c9f0e4b7a5.jsonl',
    );
    const meta = readTranscriptMeta(path);
    expect(meta.status).toBe('ok');
    expect(meta.firstHumanPromptRaw).toBeNull();
    expect(meta.firstUuid).toBe('21befb48-89a9-4e20-b392-59d548c5c915');
  });
});

describe('readTranscriptMeta: statuses', () => {
  it('missing file → missing, no throw', () => {
    const meta = readTranscriptMeta(join(makeTempDir(), 'nope.jsonl'));
    expect(meta.status).toBe('missing');
    expect(meta.size).toBeNull();
    expect(meta.bytesRead).toBe(0);
  });

  it('a path through a file → missing', () => {
    const file = writeTemp('plain.txt', 'x');
    expect(readTranscriptMeta(join(file, 'child.jsonl')).status).toBe('missing');
  });

  it('empty path → missing', () => {
    expect(readTranscriptMeta('').status).toBe('missing');
  });

  it('empty file → ok with nulls', () => {
    const meta = readTranscriptMeta(writeTemp('empty.jsonl', ''));
    expect(meta).toMatchObject({
      status: 'ok',
      size: 0,
      firstUuid: null,
      lastUuid: null,
      bytesRead: 0,
    });
  });

  it('only blank lines → ok', () => {
    expect(readTranscriptMeta(writeTemp('blank.jsonl', '\n\r\n  \n')).status).toBe('ok');
  });

  it('no parsable record among some lines → corrupted', () => {
    const meta = readTranscriptMeta(writeTemp('bad.jsonl', 'not json\n{"a":\n42\nnull\n'));
    expect(meta.status).toBe('corrupted');
    expect(meta.reason).toBeDefined();
  });

  it('a directory → corrupted, not a regular file', () => {
    const meta = readTranscriptMeta(makeTempDir());
    expect(meta).toMatchObject({ status: 'corrupted', reason: 'not a regular file', bytesRead: 0 });
  });

  it.runIf(existsSync('/dev/zero'))('/dev/zero → corrupted without reading', () => {
    const meta = readTranscriptMeta('/dev/zero');
    expect(meta).toMatchObject({ status: 'corrupted', reason: 'not a regular file', bytesRead: 0 });
  });

  it.runIf(process.platform !== 'win32')('a FIFO with no writer → corrupted, does not hang', () => {
    const fifo = join(makeTempDir(), 'pipe.jsonl');
    execFileSync('mkfifo', [fifo]);
    const meta = readTranscriptMeta(fifo);
    expect(meta).toMatchObject({ status: 'corrupted', reason: 'not a regular file', bytesRead: 0 });
  });

  it('one line larger than the head window → too_large, tail still read', () => {
    const big = userLine('4b0f3f2e-1111-4c1c-9d1d-000000000001', null, 'x'.repeat(5000));
    const tail = assistantLine(
      '4b0f3f2e-1111-4c1c-9d1d-000000000002',
      '4b0f3f2e-1111-4c1c-9d1d-000000000001',
      'done',
    );
    const path = writeTemp('huge-line.jsonl', big + tail);
    const meta = readTranscriptMeta(path, { headBytes: 1024, tailBytes: 1024 });
    expect(meta.status).toBe('too_large');
    expect(meta.firstUuid).toBeNull();
    expect(meta.lastUuid).toBe('4b0f3f2e-1111-4c1c-9d1d-000000000002');
    expect(meta.bytesRead).toBe(2048);
  });

  it('a deadline already past reads nothing', () => {
    const meta = readTranscriptMeta(fixturePath('startup.jsonl'), {
      deadline: performance.now() - 1,
    });
    expect(meta).toMatchObject({ status: 'ok', reason: 'deadline', bytesRead: 0, firstUuid: null });
    expect(meta.size).toBeGreaterThan(0);
  });

  it('a deadline in the future changes nothing', () => {
    const meta = readTranscriptMeta(fixturePath('startup.jsonl'), {
      deadline: performance.now() + 60_000,
    });
    expect(meta.reason).toBeUndefined();
    expect(meta.lastUuid).toBe('b8d0dc53-8489-44b9-9e2c-fb8b323c8b2f');
  });

  it('falls back to the older `title` key of ai-title rows', () => {
    const path = writeTemp(
      'old-title.jsonl',
      line({ type: 'ai-title', title: 'Old key title', sessionId: 'S' }),
    );
    expect(readTranscriptMeta(path).aiTitle).toBe('Old key title');
  });

  it('ignores metadata rows without uuids for lineage', () => {
    const path = writeTemp(
      'meta-only.jsonl',
      line({ type: 'summary', summary: 'x', leafUuid: 'l-1' }) +
        line({ type: 'custom-title', customTitle: 'c' }),
    );
    const meta = readTranscriptMeta(path);
    expect(meta).toMatchObject({ status: 'ok', firstUuid: null, lastUuid: null, customTitle: 'c' });
    expect(meta.leafUuids).toEqual(['l-1']);
  });
});

describe('readTranscriptMeta: windows', () => {
  /** `count` user/assistant lines with predictable uuids `…-<index padded>`. */
  function conversation(count: number, text = 'some words'): { content: string; uuids: string[] } {
    const uuids: string[] = [];
    let content = '';
    for (let i = 0; i < count; i += 1) {
      const uuid = `9d1c2b3a-0000-4000-8000-${String(i).padStart(12, '0')}`;
      const parent = uuids[i - 1] ?? null;
      content +=
        i % 2 === 0
          ? userLine(uuid, parent, `${text} ${i}`)
          : assistantLine(uuid, parent ?? '', `${text} ${i}`);
      uuids.push(uuid);
    }
    return { content, uuids };
  }

  it('reads only the head and the tail of a larger file', () => {
    const { content, uuids } = conversation(400);
    const path = writeTemp('long.jsonl', content);
    const meta = readTranscriptMeta(path, { headBytes: 4096, tailBytes: 4096, maxUuids: 5 });
    expect(meta.size).toBeGreaterThan(8192);
    expect(meta.bytesRead).toBe(8192);
    expect(meta.firstUuid).toBe(uuids[0]);
    expect(meta.lastUuid).toBe(uuids[399]);
    expect(meta.headUuids).toEqual(uuids.slice(0, 5));
    expect(meta.tailUuids).toEqual(uuids.slice(395));
    expect(meta.firstHumanPromptRaw).toBe('some words 0');
  });

  it('prefers the title in the tail window and falls back to the head window', () => {
    const { content } = conversation(200);
    const headTitle = line({ type: 'ai-title', aiTitle: 'Head title' });
    const withBoth = writeTemp(
      'both.jsonl',
      headTitle + content + line({ type: 'ai-title', aiTitle: 'Tail title' }),
    );
    expect(readTranscriptMeta(withBoth, { headBytes: 2048, tailBytes: 2048 }).aiTitle).toBe(
      'Tail title',
    );
    const headOnly = writeTemp('head.jsonl', headTitle + content);
    expect(readTranscriptMeta(headOnly, { headBytes: 2048, tailBytes: 2048 }).aiTitle).toBe(
      'Head title',
    );
  });

  it('a UTF-8 character cut by either window edge never reaches a field', () => {
    // Lines of 3-byte characters: whatever the window sizes, some edges fall inside a character.
    const { content } = conversation(60, 'ünïcödé ✓✓✓ 漢字テキスト');
    const path = writeTemp('utf8.jsonl', content);
    const bytes = Buffer.byteLength(content);
    for (let headBytes = 1000; headBytes < 1040; headBytes += 1) {
      const meta = readTranscriptMeta(path, {
        headBytes,
        tailBytes: bytes - headBytes - 1 - (headBytes % 7),
      });
      expect(meta.status).toBe('ok');
      expect(meta.firstHumanPromptRaw).toBe('ünïcödé ✓✓✓ 漢字テキスト 0');
      expect(JSON.stringify(meta)).not.toContain('\uFFFD');
    }
  });

  it('a multi-byte character straddling the head window edge drops only that line', () => {
    const first = userLine('7e3a1b2c-0000-4000-8000-000000000001', null, 'first prompt');
    const second = userLine('7e3a1b2c-0000-4000-8000-000000000002', null, `${'a'.repeat(40)}€tail`);
    const rest = conversation(50).content;
    // Put the head edge right after the first byte of "€" (3 bytes in UTF-8).
    const headBytes =
      Buffer.byteLength(first) + Buffer.byteLength(second.slice(0, second.indexOf('€'))) + 1;
    const path = writeTemp('edge.jsonl', first + second + rest);
    const meta = readTranscriptMeta(path, { headBytes, tailBytes: 1024 });
    expect(meta.headUuids).toEqual(['7e3a1b2c-0000-4000-8000-000000000001']);
    expect(meta.firstHumanPromptRaw).toBe('first prompt');
  });

  it('CRLF files split into the same windows', () => {
    const { content, uuids } = conversation(300);
    const path = writeTemp('crlf-long.jsonl', content.replace(/\n/g, '\r\n'));
    const meta = readTranscriptMeta(path, { headBytes: 3000, tailBytes: 3000 });
    expect(meta.status).toBe('ok');
    expect(meta.firstUuid).toBe(uuids[0]);
    expect(meta.lastUuid).toBe(uuids[299]);
  });

  it('invalid window options fall back to the defaults', () => {
    const meta = readTranscriptMeta(fixturePath('startup.jsonl'), {
      headBytes: 0,
      tailBytes: Number.NaN,
      maxUuids: -1,
    });
    expect(meta.bytesRead).toBe(meta.size);
    expect(meta.headUuids).toHaveLength(6);
  });

  it('a 1 GB transcript costs two windows: a sparse file whose middle is never read', () => {
    const path = join(makeTempDir(), 'gigabyte.jsonl');
    const fd = openSync(path, 'w');
    try {
      const head = Buffer.from(
        userLine('5a5a5a5a-0000-4000-8000-000000000001', null, 'start of a long session') +
          assistantLine(
            '5a5a5a5a-0000-4000-8000-00000000ffff',
            '5a5a5a5a-0000-4000-8000-000000000001',
            'y'.repeat(900),
          ),
      );
      const tail = Buffer.from(
        `\n${line({ type: 'ai-title', aiTitle: 'A gigabyte later' })}${assistantLine(
          '5a5a5a5a-0000-4000-8000-000000000002',
          '5a5a5a5a-0000-4000-8000-00000000ffff',
          'the end',
        )}`,
      );
      writeSync(fd, head, 0, head.length, 0);
      // Nothing is written between the two: reading the hole would take seconds and a gigabyte.
      writeSync(fd, tail, 0, tail.length, 1024 ** 3 - tail.length);
    } finally {
      closeSync(fd);
    }
    const meta = readTranscriptMeta(path);
    expect(meta.size).toBe(1024 ** 3);
    expect(meta.bytesRead).toBe(2 * 256 * 1024);
    expect(meta.status).toBe('ok');
    expect(meta.firstUuid).toBe('5a5a5a5a-0000-4000-8000-000000000001');
    expect(meta.lastUuid).toBe('5a5a5a5a-0000-4000-8000-000000000002');
    expect(meta.aiTitle).toBe('A gigabyte later');
    expect(meta.firstHumanPromptRaw).toBe('start of a long session');
  });
});
