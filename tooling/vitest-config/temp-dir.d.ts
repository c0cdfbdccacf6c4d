/** A fresh temporary directory (`<tmp>/<prefix>XXXXXX`), removed after the test file's last test. */
export declare function makeTempDir(prefix?: string): string;
