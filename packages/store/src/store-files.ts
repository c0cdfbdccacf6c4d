/** File names inside a storage directory (the original's names plus our SQLite index). */
export const STORE_FILENAMES = Object.freeze({
  events: 'sessions-db-events.jsonl',
  index: 'sessions-db.sqlite',
  projection: 'sessions-db.json',
  lock: 'sessions-db.json.lock',
});
