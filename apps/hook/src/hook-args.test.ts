import { describe, expect, it } from 'vitest';
import { parseHookArgs } from './hook-args.js';

describe('parseHookArgs', () => {
  it('reads --store DIR and --store=DIR (the last one wins)', () => {
    expect(parseHookArgs(['--store', '/data/store'])).toEqual({ store: '/data/store' });
    expect(parseHookArgs(['--store=/a b/store'])).toEqual({ store: '/a b/store' });
    expect(parseHookArgs(['--store', '/one', '--store=/two'])).toEqual({ store: '/two' });
  });

  it('ignores everything else, and an empty or missing value', () => {
    expect(parseHookArgs([])).toEqual({});
    expect(parseHookArgs(['--verbose', 'x'])).toEqual({});
    expect(parseHookArgs(['--store'])).toEqual({});
    expect(parseHookArgs(['--store='])).toEqual({});
    expect(parseHookArgs(['--store', '  '])).toEqual({});
  });
});
