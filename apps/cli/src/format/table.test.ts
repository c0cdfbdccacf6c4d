import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createPaint, shouldUseColor } from './colors.js';
import { renderTable } from './table.js';
import { displayWidth, toOneLine, truncateEnd, truncateStart } from './text-width.js';

const plain = createPaint(false);

describe('truncation', () => {
  it('cuts at the end or the start with an ellipsis, measuring terminal columns', () => {
    expect(truncateEnd('abcdefgh', 5)).toBe('abcd…');
    expect(truncateEnd('abc', 5)).toBe('abc');
    expect(truncateStart('/home/alex/code/acme-api', 10)).toBe('…/acme-api');
    expect(truncateEnd('修复登录重定向', 7)).toBe('修复登…');
    expect(displayWidth(truncateEnd('修复登录重定向', 7))).toBeLessThanOrEqual(7);
    expect(truncateEnd('👩‍💻👩‍💻👩‍💻', 5)).toBe('👩‍💻👩‍💻…');
  });

  it('flattens newlines, tabs and escape sequences to single spaces', () => {
    expect(toOneLine('fix\nthe\t\ttests \u001b[31m now ')).toBe('fix the tests [31m now');
  });
});

describe('renderTable', () => {
  const columns = [
    { header: 'id', cells: ['a1', 'b22'] },
    {
      header: 'label',
      cells: [[{ text: 'a long label here' }, { text: ' [ai]' }], 'short'],
      truncate: 'end' as const,
      minWidth: 8,
    },
    {
      header: 'cwd',
      cells: ['/x/y', '/home/alex/code/acme-web'],
      truncate: 'start' as const,
      minWidth: 8,
      shrinkOrder: 1,
    },
  ];

  it('keeps the tag of a cut label while there is room for the label itself', () => {
    const lines = renderTable(columns, { paint: plain, maxWidth: 46 });
    expect(lines[1]).toBe('a1   a long la… [ai]  /x/y');
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(46);
  });

  it('aligns columns two spaces apart and trims trailing spaces', () => {
    expect(renderTable(columns, { paint: plain }).join('\n')).toBe(
      [
        'id   label                   cwd',
        'a1   a long label here [ai]  /x/y',
        'b22  short                   /home/alex/code/acme-web',
      ].join('\n'),
    );
  });

  it('fits a maximum width by cutting shrinkable columns (a tag is dropped when no room is left)', () => {
    const lines = renderTable(columns, { paint: plain, maxWidth: 34 });
    expect(lines).toEqual([
      'id   label     cwd',
      'a1   a long…   /x/y',
      'b22  short     …alex/code/acme-web',
    ]);
    for (const line of lines) expect(displayWidth(line)).toBeLessThanOrEqual(34);
  });

  it('leaves droppable columns out when even the minimum widths do not fit', () => {
    const droppable = columns.map((column) =>
      column.header === 'cwd' ? { ...column, dropOrder: 0 } : column,
    );
    expect(renderTable(droppable, { paint: plain, maxWidth: 20 })).toEqual([
      'id   label',
      'a1   a long la… [ai]',
      'b22  short',
    ]);
    expect(renderTable(droppable, { paint: plain, maxWidth: 60 })[0]).toBe(
      'id   label                   cwd',
    );
  });

  it('measures width without colour codes and makes the header bold with colour on', () => {
    const lines = renderTable(
      [
        { header: 'state', cells: [[{ text: 'active', style: createPaint(true).green }]] },
        { header: 'x', cells: ['y'] },
      ],
      { paint: createPaint(true) },
    );
    expect(lines[0]).toBe('\u001b[1mstate   x\u001b[22m');
    expect(lines[1]).toBe('\u001b[32mactive\u001b[39m  y');
  });
});

describe('renderTable window', () => {
  const cell = fc.oneof(
    fc.string({ maxLength: 30 }),
    fc.constantFrom('修复登录重定向', '👩‍💻 pair', 'a long label that is cut'),
  );
  it('draws the rows of the window exactly as the whole table draws them (widths from all rows)', () => {
    fc.assert(
      fc.property(
        fc.array(fc.tuple(cell, cell, cell), { maxLength: 40 }),
        fc.nat(45),
        fc.nat(45),
        fc.option(fc.integer({ min: 10, max: 80 }), { nil: undefined }),
        (rows, start, count, maxWidth) => {
          const columns = [
            {
              header: 'label',
              cells: rows.map((r) => r[0]),
              truncate: 'end' as const,
              minWidth: 6,
            },
            { header: 'age', cells: rows.map((r) => r[1]) },
            {
              header: 'project',
              cells: rows.map((r) => r[2]),
              truncate: 'end' as const,
              minWidth: 8,
              dropOrder: 0,
            },
          ];
          const whole = renderTable(columns, { paint: plain, maxWidth });
          const windowed = renderTable(columns, {
            paint: plain,
            maxWidth,
            window: { start, count },
          });
          expect(windowed).toEqual([whole[0], ...whole.slice(1 + start, 1 + start + count)]);
        },
      ),
    );
  });
});

describe('shouldUseColor', () => {
  it('is on only on a TTY, without NO_COLOR and without --no-color', () => {
    expect(shouldUseColor({ isTTY: true, env: {}, flag: true })).toBe(true);
    expect(shouldUseColor({ isTTY: false, env: {}, flag: true })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: '1' }, flag: true })).toBe(false);
    expect(shouldUseColor({ isTTY: true, env: { NO_COLOR: '' }, flag: true })).toBe(true);
    expect(shouldUseColor({ isTTY: true, env: {}, flag: false })).toBe(false);
  });
});
