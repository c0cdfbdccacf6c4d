/**
 * Make one file read-only for this process, even as root (a read-only bind mount of the file on
 * itself; other users get `chmod 0444`). Returns the function that undoes it, or null when it
 * cannot be done here (root without mount(8) rights).
 */
export declare function makeReadOnly(path: string): (() => void) | null;

/**
 * Mount a tmpfs of `bytes` on `dir` (root only), so a test can fill the disk. Returns the unmount
 * function, or null when it cannot be done here (not root, or no mount(8) rights).
 */
export declare function mountSmallDisk(dir: string, bytes: number): (() => void) | null;
