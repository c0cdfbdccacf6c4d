/** Builds the text of `sessions-db.json` a session at a time (see {@link createProjectionText}). */
export interface ProjectionText {
  /** Add the next session (in creation order): its id and its record (a JSON value). */
  addSession(stableId: string, record: unknown): void;
  /** Close the document (after the last session). */
  end(): void;
  /**
   * The text added since the last take, escaped; undefined when none is pending. Sessions of an
   * unfinished batch are handed out by a later take.
   */
  take(): string | undefined;
  /** Sessions added so far. */
  count(): number;
}

/**
 * The text of the original's `sessions-db.json` after its `header` (`{`, `_meta`, `"sessions": {`):
 * exactly what `JSON.stringify(projection, null, 2)` writes, records in creation order, no
 * trailing newline, with `escape` (event-log's `escapeJsonControls`) applied to every chunk. A
 * batch of sessions is pretty-printed by one `JSON.stringify` call (nested as in the document);
 * an id an object would order first (an array index) is written on its own, in its place. One home
 * for the file's layout: the export, and the rebuild's worker thread.
 *
 * Self-contained (it refers to nothing outside its body, and keeps to syntax no bundler rewrites
 * with helpers): the rebuild runs it in a worker thread from its source text.
 */
export function createProjectionText(
  escape: (json: string) => string,
  header: string,
): ProjectionText {
  const batchSessions = 256;
  const batchHead = '{\n  "sessions": {';
  const batchTail = '\n  }\n}';
  const arrayIndex = /^(?:0|[1-9][0-9]*)$/;
  let batch: Record<string, unknown> = Object.create(null) as Record<string, unknown>;
  let batchSize = 0;
  let pieces: string[] = [header];
  let count = 0;
  const closeBatch = (): void => {
    if (batchSize === 0) return;
    const text = JSON.stringify({ sessions: batch }, null, 2);
    const entries = text.slice(batchHead.length, text.length - batchTail.length);
    pieces.push(count === batchSize ? entries : ',' + entries);
    batch = Object.create(null) as Record<string, unknown>;
    batchSize = 0;
  };
  return {
    addSession(stableId, record) {
      if (arrayIndex.test(stableId) && Number(stableId) < 4294967295) {
        closeBatch();
        const pretty = JSON.stringify(record, null, 2).replace(/\n/g, '\n    ');
        pieces.push((count === 0 ? '' : ',') + '\n    ' + JSON.stringify(stableId) + ': ' + pretty);
        count += 1;
        return;
      }
      batch[stableId] = record;
      batchSize += 1;
      count += 1;
      if (batchSize === batchSessions) closeBatch();
    },
    end() {
      closeBatch();
      pieces.push(count === 0 ? '}\n}' : '\n  }\n}');
    },
    take() {
      if (pieces.length === 0) return undefined;
      const chunk = escape(pieces.join(''));
      pieces = [];
      return chunk;
    },
    count: () => count,
  };
}
