import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  MAX_PARENT_CHAIN_DEPTH,
  MAX_TREE_DEPTH,
  ancestorsOf,
  descendantsOf,
  detectParentCycle,
  graphFromProjection,
} from './index.js';
import type { ParentGraph } from './index.js';
import { at, ev, fold } from './test-support/events.js';

/** A graph from a child → parent table (children listed in table order). */
function graphOf(parents: Record<string, string | null>): ParentGraph {
  const children = new Map<string, string[]>();
  for (const [child, parent] of Object.entries(parents)) {
    if (parent !== null && parent !== child)
      children.set(parent, [...(children.get(parent) ?? []), child]);
  }
  return {
    parentOf: (id) => parents[id],
    childrenOf: (id) => children.get(id) ?? [],
  };
}

/** A chain n0 ← n1 ← ... ← n(length-1) (n0 is the root). */
function chain(length: number): Record<string, string | null> {
  const parents: Record<string, string | null> = {};
  for (let i = 0; i < length; i += 1) parents[`n${i}`] = i === 0 ? null : `n${i - 1}`;
  return parents;
}

describe('graphFromProjection', () => {
  const p = fold(
    ev('session_seen', {}, { stableId: 'root', ts: at(0) }),
    ev('session_seen', {}, { stableId: 'late', ts: at(9) }),
    ev('session_seen', {}, { stableId: 'early', ts: at(1) }),
    ev('parent_set', { parent_session_id: 'root' }, { stableId: 'late', ts: at(9) }),
    ev('parent_set', { parent_session_id: 'root' }, { stableId: 'early', ts: at(9) }),
    ev('parent_set', { parent_session_id: 'self' }, { stableId: 'self', ts: at(9) }),
    ev('parent_set', { parent_session_id: 'ghost' }, { stableId: 'orphan', ts: at(9) }),
  );
  const graph = graphFromProjection(p);

  it('parentOf gives the parent, null for a root and undefined for an unknown id', () => {
    expect(graph.parentOf('late')).toBe('root');
    expect(graph.parentOf('root')).toBeNull();
    expect(graph.parentOf('nope')).toBeUndefined();
  });

  it('childrenOf lists children by created_at (the original tree order), never a self-edge', () => {
    expect(graph.childrenOf('root')).toEqual(['early', 'late']);
    expect(graph.childrenOf('self')).toEqual([]);
    expect(graph.childrenOf('ghost')).toEqual(['orphan']);
  });
});

describe('detectParentCycle (docs/on-disk-format.md#what-the-writers-check)', () => {
  it('self: proposing a session as its own parent is a 0-hop cycle', () => {
    expect(detectParentCycle(graphOf({ a: null }), 'a', 'a')).toEqual({ cycle: true, hops: 0 });
  });

  it('2-hop: A→B exists, B→A proposed', () => {
    expect(detectParentCycle(graphOf({ a: 'b', b: null }), 'b', 'a')).toEqual({
      cycle: true,
      hops: 1,
    });
  });

  it('3-hop: A→B→C exists, C→A proposed', () => {
    expect(detectParentCycle(graphOf({ a: 'b', b: 'c', c: null }), 'c', 'a')).toEqual({
      cycle: true,
      hops: 2,
    });
  });

  it('deep re-parent without a cycle is fine', () => {
    const g = graphOf({ ...chain(40), x: null });
    expect(detectParentCycle(g, 'x', 'n39')).toEqual({ cycle: false });
    expect(detectParentCycle(g, 'n10', 'x')).toEqual({ cycle: false });
  });

  it('finds a cycle up to 49 hops and gives up past the 50-step bound', () => {
    expect(MAX_PARENT_CHAIN_DEPTH).toBe(50);
    const g = graphOf(chain(60));
    expect(detectParentCycle(g, 'n0', 'n49')).toEqual({ cycle: true, hops: 49 });
    expect(detectParentCycle(g, 'n0', 'n50')).toEqual({ cycle: false });
  });

  it('terminates on an existing cycle that does not contain the child', () => {
    expect(detectParentCycle(graphOf({ a: 'b', b: 'a', c: null }), 'c', 'a')).toEqual({
      cycle: false,
    });
  });

  it('stops at an unknown id', () => {
    expect(detectParentCycle(graphOf({ a: 'ghost' }), 'b', 'a')).toEqual({ cycle: false });
  });
});

describe('ancestorsOf', () => {
  it('lists parents nearest first and stops at the root', () => {
    expect(ancestorsOf(graphOf({ a: 'b', b: 'c', c: null }), 'a')).toEqual({
      ancestors: ['b', 'c'],
      stop: 'root',
    });
  });

  it('stops on a cycle without repeating an id', () => {
    expect(ancestorsOf(graphOf({ a: 'b', b: 'c', c: 'a' }), 'a')).toEqual({
      ancestors: ['b', 'c'],
      stop: 'cycle',
    });
    expect(ancestorsOf(graphOf({ a: 'a' }), 'a')).toEqual({ ancestors: [], stop: 'cycle' });
  });

  it('reports an unknown start or an unknown parent', () => {
    expect(ancestorsOf(graphOf({}), 'x')).toEqual({ ancestors: [], stop: 'unknown' });
    expect(ancestorsOf(graphOf({ a: 'ghost' }), 'a')).toEqual({
      ancestors: ['ghost'],
      stop: 'unknown',
    });
  });

  it('stops at 50 ancestors by default, or at a given bound', () => {
    const g = graphOf(chain(80));
    const deep = ancestorsOf(g, 'n79');
    expect(deep.ancestors).toHaveLength(50);
    expect(deep.ancestors[0]).toBe('n78');
    expect(deep.stop).toBe('max_depth');
    expect(ancestorsOf(g, 'n79', 3)).toEqual({
      ancestors: ['n78', 'n77', 'n76'],
      stop: 'max_depth',
    });
    expect(ancestorsOf(graphOf(chain(3)), 'n2', 2)).toEqual({
      ancestors: ['n1', 'n0'],
      stop: 'root',
    });
  });
});

describe('descendantsOf', () => {
  it('is breadth-first with depths and parents', () => {
    const g = graphOf({ r: null, a: 'r', b: 'r', a1: 'a', b1: 'b', a2: 'a1' });
    expect(descendantsOf(g, 'r')).toEqual({
      descendants: [
        { id: 'a', depth: 1, parent: 'r' },
        { id: 'b', depth: 1, parent: 'r' },
        { id: 'a1', depth: 2, parent: 'a' },
        { id: 'b1', depth: 2, parent: 'b' },
        { id: 'a2', depth: 3, parent: 'a1' },
      ],
      truncated: false,
    });
  });

  it('lists each id once and cuts cycles (the root is never listed)', () => {
    const g: ParentGraph = {
      parentOf: () => null,
      childrenOf: (id) => ({ r: ['a', 'b'], a: ['b', 'r'], b: ['a', 'b'] })[id] ?? [],
    };
    expect(descendantsOf(g, 'r').descendants.map((d) => d.id)).toEqual(['a', 'b']);
  });

  it('stops 32 levels below the root by default and says so', () => {
    expect(MAX_TREE_DEPTH).toBe(32);
    const g = graphOf(chain(40));
    const result = descendantsOf(g, 'n0');
    expect(result.descendants).toHaveLength(32);
    expect(result.descendants.at(-1)).toEqual({ id: 'n32', depth: 32, parent: 'n31' });
    expect(result.truncated).toBe(true);
    expect(descendantsOf(graphOf(chain(33)), 'n0').truncated).toBe(false);
    expect(descendantsOf(g, 'n0', 2).descendants.map((d) => d.id)).toEqual(['n1', 'n2']);
  });
});

describe('walks terminate on arbitrary graphs', () => {
  const nodes = ['a', 'b', 'c', 'd', 'e', 'f'];
  const graphArb = fc
    .record({
      parents: fc.dictionary(
        fc.constantFrom(...nodes),
        fc.option(fc.constantFrom(...nodes, 'ghost')),
      ),
      children: fc.dictionary(
        fc.constantFrom(...nodes),
        fc.array(fc.constantFrom(...nodes, 'ghost')),
      ),
    })
    .map(({ parents, children }): ParentGraph => ({
      parentOf: (id) => parents[id],
      childrenOf: (id) => children[id] ?? [],
    }));

  it('detectParentCycle, ancestorsOf and descendantsOf return bounded results', () => {
    fc.assert(
      fc.property(graphArb, fc.constantFrom(...nodes), fc.constantFrom(...nodes), (g, x, y) => {
        const cycle = detectParentCycle(g, x, y);
        if (cycle.cycle) expect(cycle.hops).toBeLessThan(MAX_PARENT_CHAIN_DEPTH);
        const up = ancestorsOf(g, x);
        expect(new Set(up.ancestors).size).toBe(up.ancestors.length);
        expect(up.ancestors).not.toContain(x);
        const down = descendantsOf(g, x);
        const ids = down.descendants.map((d) => d.id);
        expect(new Set(ids).size).toBe(ids.length);
        expect(ids).not.toContain(x);
        for (const d of down.descendants) expect(d.depth).toBeLessThanOrEqual(MAX_TREE_DEPTH);
      }),
      { numRuns: 500 },
    );
  });

  it('a cycle reported by detectParentCycle is real: the walk from the parent reaches the child', () => {
    fc.assert(
      fc.property(
        graphArb,
        fc.constantFrom(...nodes),
        fc.constantFrom(...nodes),
        (g, child, parent) => {
          const result = detectParentCycle(g, child, parent);
          let cursor: string | null | undefined = parent;
          for (let i = 0; result.cycle && i < result.hops; i += 1)
            cursor = cursor ? g.parentOf(cursor) : null;
          if (result.cycle) expect(cursor).toBe(child);
        },
      ),
      { numRuns: 300 },
    );
  });
});
