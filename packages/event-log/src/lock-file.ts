/**
 * The content of a lockfile: one line `<pid>\t<host>\t<iso-time>\t<nonce>\n`. The nonce makes each
 * acquisition's content unique, so ownership checks compare the whole content. The original tool's
 * `<pid>\t<iso-time>\n` is read too (its host is unknown and taken to be this one).
 */

/** What a lockfile says about its owner; fields that could not be read are absent. */
export interface LockOwner {
  readonly pid?: number;
  readonly host?: string;
  /** When the lock was taken, in unix ms. */
  readonly createdMs?: number;
}

/** Render the content of a new lockfile. */
export function renderLockContent(pid: number, host: string, now: Date, nonce: string): string {
  return `${pid}\t${host}\t${now.toISOString()}\t${nonce}\n`;
}

/** Read a lockfile's content (ours or the original's format); never throws. */
export function parseLockContent(text: string): LockOwner {
  const fields = text.replace(/\n$/, '').split('\t');
  const [pidText, second, third] = fields;
  const pid = /^[1-9][0-9]*$/.test(pidText ?? '') ? Number(pidText) : undefined;
  const host = fields.length >= 3 ? second : undefined;
  const createdMs = Date.parse((fields.length >= 3 ? third : second) ?? '');
  return {
    ...(pid !== undefined && Number.isSafeInteger(pid) ? { pid } : {}),
    ...(host !== undefined && host.length > 0 ? { host } : {}),
    ...(Number.isFinite(createdMs) ? { createdMs } : {}),
  };
}
