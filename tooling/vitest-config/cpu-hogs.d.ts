/** CPU-bound processes running until `stop()` or `maxMs`, whichever comes first. */
export interface CpuHogs {
  stop(): Promise<void>;
}

/** Start `count` CPU-bound node processes that end by themselves after `maxMs`. */
export declare function startCpuHogs(count: number, maxMs: number): CpuHogs;
