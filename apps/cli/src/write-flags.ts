/** `--dry-run` of every command that writes one event (alias, link, link-parent, close, reopen). */
export const DRY_RUN_FLAG = {
  type: 'boolean',
  describe: 'Print the event that would be written; write nothing',
} as const;
