/**
 * Well-known credential formats, so a prompt preview or a title that sessions-db stores or shows
 * never carries one. Each rule replaces the secret (not its label) with `[REDACTED:<kind>]`. The
 * byte-exact transcript archive is not redacted: it is a copy of the user's own file.
 */
interface SecretRule {
  readonly kind: string;
  readonly pattern: RegExp;
  /** Replacement for one match; default: the whole match becomes the marker. */
  readonly replace?: (marker: string, ...groups: string[]) => string;
}

const RULES: readonly SecretRule[] = [
  {
    kind: 'private-key',
    pattern:
      /-----BEGIN (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----[\s\S]*?(?:-----END (?:[A-Z0-9]+ )*PRIVATE KEY(?: BLOCK)?-----|$)/g,
  },
  { kind: 'jwt', pattern: /\beyJ[\w-]{8,}\.eyJ[\w-]{8,}\.[\w-]{8,}/g },
  { kind: 'anthropic-key', pattern: /\bsk-ant-[\w-]{16,}/g },
  { kind: 'openai-key', pattern: /\bsk-(?:proj|svcacct|admin)-[\w-]{16,}/g },
  { kind: 'openai-key', pattern: /\bsk-[A-Za-z0-9]{32,}\b/g },
  { kind: 'github-token', pattern: /\bgithub_pat_[A-Za-z0-9_]{22,}/g },
  { kind: 'github-token', pattern: /\bgh[pousr]_[A-Za-z0-9]{30,}/g },
  {
    kind: 'aws-access-key',
    pattern: /\b(?:AKIA|ASIA|AGPA|AIDA|AROA|AIPA|ANPA|ANVA)[A-Z0-9]{16}\b/g,
  },
  { kind: 'slack-token', pattern: /\bxox[abeoprs]-[A-Za-z0-9-]{10,}/g },
  {
    kind: 'slack-webhook',
    pattern: /https:\/\/hooks\.slack\.com\/services\/[A-Za-z0-9]+\/[A-Za-z0-9]+\/[A-Za-z0-9]+/g,
  },
  { kind: 'stripe-key', pattern: /\b[rsp]k_(?:live|test)_[A-Za-z0-9]{16,}/g },
  { kind: 'google-api-key', pattern: /\bAIza[\w-]{35}\b/g },
  {
    // scheme://user:password@host → keep the user and the host.
    kind: 'url-password',
    pattern: /\b([a-z][a-z0-9+.-]{0,31}:\/\/[^\s:/@]{1,256}:)([^\s@/]+)(@)/gi,
    replace: (marker, before = '', _secret, at = '') => `${before}${marker}${at}`,
  },
  {
    // KEY=value / KEY: value where the key names a secret (.env files, shell exports, YAML).
    kind: 'secret-assignment',
    pattern:
      /\b((?:export\s+)?[A-Za-z0-9_.-]{0,48}?(?:SECRET|TOKEN|PASSWORD|PASSWD|PASSPHRASE|API_?KEY|ACCESS_?KEY|PRIVATE_?KEY|CREDENTIALS?|AUTH_?KEY|CLIENT_?SECRET)[A-Za-z0-9_.-]{0,48}["']?\s*[=:]\s*)(["']?)((?=[^\s"'`]*[0-9_+/=.-])[^\s"'`]{8,})\2/gi,
    replace: (marker, key = '', quote = '') => `${key}${quote}${marker}${quote}`,
  },
];

/**
 * `text` with every well-known credential replaced by `[REDACTED:<kind>]`. Never throws; linear in
 * the length of `text` (every repetition in the rules is bounded or anchored by a literal).
 */
export function redactSecrets(text: string): string {
  let out = text;
  for (const rule of RULES) {
    const marker = `[REDACTED:${rule.kind}]`;
    out = out.replace(rule.pattern, (...args: unknown[]) => {
      if (rule.replace === undefined) return marker;
      const groups = args.slice(1, -2).map((g) => (typeof g === 'string' ? g : ''));
      return rule.replace(marker, ...groups);
    });
  }
  return out;
}

/** {@link redactSecrets} for a value that may be absent. */
export function redactOptional(text: string | null | undefined): string | null {
  return typeof text === 'string' ? redactSecrets(text) : null;
}
