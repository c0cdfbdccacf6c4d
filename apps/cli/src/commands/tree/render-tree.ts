import type { SessionRecord } from '@sessions-db/projection';
import type { SessionTree, TreeNode } from '@sessions-db/store';
import type { Paint } from '../../format/colors.js';
import { relTime } from '../../format/rel-time.js';
import { safeText } from '../../format/safe-text.js';
import { LABEL_TAGS, displayLabel, shortId } from '../../format/session-label.js';
import { displayWidth, truncateEnd } from '../../format/text-width.js';

/** How a tree renders. */
export interface TreeView {
  readonly paint: Paint;
  readonly now: number;
  /** Terminal width; labels are cut to fit (60 columns at most when `undefined`). */
  readonly columns: number | undefined;
}

const MAX_LABEL = 60;
const BRANCH = '├── ';
const LAST = '└── ';
const PIPE = '│   ';
const SPACE = '    ';

function edgeKindOf(session: SessionRecord, edgeKind: string | null | undefined): string | null {
  return edgeKind ?? session.parent_kind ?? null;
}

/**
 * One node: `[kind] <id> (alias) [state/outcome] <time>  <label> [tag]`, label cut to fit; a
 * session of another agent than Claude Code says so after its id (`<id> codex`).
 */
function nodeLine(
  prefix: string,
  session: SessionRecord,
  edgeKind: string | null,
  view: TreeView,
): string {
  const { paint } = view;
  const label = displayLabel(session);
  const kind = edgeKind === null ? '' : `[${edgeKind}] `;
  const alias =
    typeof session.alias === 'string' && session.alias !== '' ? ` (${session.alias})` : '';
  const state = `[${typeof session.activity_state === 'string' ? session.activity_state : '?'}/${typeof session.outcome === 'string' ? session.outcome : '?'}]`;
  const time = relTime(session.last_progress_at, view.now);
  const id = shortId(session.stable_id);
  const agent = typeof session.agent === 'string' ? ` ${safeText(session.agent)}` : '';
  const fixed = `${prefix}${kind}${id}${agent}${alias} ${state} ${time}`;
  let tail = '';
  if (label.text !== null && label.source !== null && label.source !== 'alias') {
    const tag = LABEL_TAGS[label.source] === '' ? '' : ` [${LABEL_TAGS[label.source]}]`;
    const room =
      view.columns === undefined
        ? MAX_LABEL
        : view.columns - displayWidth(fixed) - 2 - displayWidth(tag);
    const text = truncateEnd(label.text, Math.min(room, MAX_LABEL));
    if (text !== '') tail = `  ${text}${paint.dim(tag)}`;
  }
  return `${prefix}${paint.cyan(kind)}${paint.bold(id)}${paint.dim(agent)}${alias} ${paint.dim(state)} ${time}${tail}`;
}

function markerLine(prefix: string, node: TreeNode, paint: Paint): string | null {
  if (node.truncated === 'circular') return `${prefix}${paint.red('(circular reference)')}`;
  if (node.truncated === 'max-depth') return `${prefix}${paint.yellow('(max depth reached)')}`;
  return null;
}

function renderChildren(node: TreeNode, prefix: string, view: TreeView, lines: string[]): void {
  const marker = markerLine(prefix + SPACE, node, view.paint);
  if (marker !== null) lines.push(marker);
  node.children.forEach((child, index) => {
    const last = index === node.children.length - 1;
    lines.push(
      nodeLine(
        prefix + (last ? LAST : BRANCH),
        child.session,
        edgeKindOf(child.session, child.edgeKind),
        view,
      ),
    );
    renderChildren(child, prefix + (last ? SPACE : PIPE), view, lines);
  });
}

/**
 * The tree as text: the ancestors (oldest first, when requested) as a single path down to the
 * session, then its descendants, drawn with `├── `, `└── ` and `│   `; each child line shows its
 * edge kind (`[fork]`, `[clear]`, `[manual]`), `(circular reference)` / `(max depth reached)`
 * where the walk stopped.
 */
export function renderTree(tree: SessionTree, view: TreeView): string {
  const lines: string[] = [];
  const chain = [...tree.ancestors].reverse();
  let prefix = '';
  chain.forEach((ancestor, index) => {
    const connector = index === 0 ? '' : LAST;
    lines.push(
      nodeLine(
        prefix + connector,
        ancestor.session,
        index === 0 ? null : edgeKindOf(ancestor.session, null),
        view,
      ),
    );
    if (index > 0) prefix += SPACE;
  });
  const rootConnector = chain.length === 0 ? '' : LAST;
  const rootKind = chain.length === 0 ? null : edgeKindOf(tree.root.session, tree.root.edgeKind);
  lines.push(nodeLine(prefix + rootConnector, tree.root.session, rootKind, view));
  renderChildren(tree.root, chain.length === 0 ? prefix : prefix + SPACE, view, lines);
  return lines.join('\n');
}

/** A node of the JSON tree (the original's fields plus label, label_source and edge_kind). */
export interface TreeJsonNode {
  readonly stable_id: string;
  readonly alias: string | null;
  readonly label: string | null;
  readonly label_source: string | null;
  readonly edge_kind: string | null;
  readonly activity_state: string;
  readonly outcome: string;
  readonly last_progress_at: string;
  readonly branch_current: string | null;
  readonly truncated?: 'circular' | 'max-depth';
  readonly children?: TreeJsonNode[];
  readonly ancestors?: TreeJsonNode[];
}

function jsonFields(session: SessionRecord, edgeKind: string | null): TreeJsonNode {
  const label = displayLabel(session);
  return {
    stable_id: session.stable_id,
    alias: session.alias,
    label: label.text,
    label_source: label.source,
    edge_kind: edgeKind,
    activity_state: session.activity_state,
    outcome: session.outcome,
    last_progress_at: session.last_progress_at,
    branch_current: session.branch_current,
  };
}

function jsonNode(node: TreeNode): TreeJsonNode {
  const fields = jsonFields(node.session, edgeKindOf(node.session, node.edgeKind));
  return {
    ...fields,
    ...(node.truncated === undefined ? {} : { truncated: node.truncated }),
    children: node.children.map(jsonNode),
  };
}

/**
 * The JSON tree; with ancestors, the root carries `ancestors` (nearest first). Every `edge_kind`
 * is the kind of the edge from that node up to its own parent.
 */
export function treeJson(tree: SessionTree, withAncestors: boolean): TreeJsonNode {
  const root = jsonNode(tree.root);
  if (!withAncestors) return root;
  return {
    ...root,
    ancestors: tree.ancestors.map((a) => jsonFields(a.session, edgeKindOf(a.session, null))),
  };
}
