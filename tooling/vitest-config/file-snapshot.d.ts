/**
 * Every file under `dir` (by path relative to it) with its bytes in base64. SQLite's
 * shared-memory side files (`-shm`, `-wal`), which a reader may create, are left out.
 */
export declare function snapshotFiles(dir: string): Map<string, string>;
