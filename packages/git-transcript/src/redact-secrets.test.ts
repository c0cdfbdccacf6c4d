import { describe, expect, it } from 'vitest';
import { redactSecrets } from './redact-secrets.js';

// Synthetic credentials, built at run time so no literal token sits in the repository.
const r = (n: number, alphabet = 'aB3dE5gH7jK9mN1pQ2sT4vW6yZ8'): string =>
  Array.from({ length: n }, (_, i) => alphabet[(i * 7) % alphabet.length]).join('');

/** One sample per class: the text as typed, and the secret that must not survive. */
const CORPUS: { kind: string; text: string; secret: string }[] = [
  {
    kind: 'aws-access-key',
    text: `use ${'AKIA'}${r(16, 'ABCDEFGHJKLMNPQRSTUVWXYZ234567')} for s3`,
    secret: `AKIA`,
  },
  {
    kind: 'secret-assignment',
    text: `aws_secret_access_key = ${r(40, 'abcdEFGH1234/+xyz')}`,
    secret: r(40, 'abcdEFGH1234/+xyz'),
  },
  { kind: 'github-token', text: `token ${'gh'}p_${r(36)} works`, secret: `p_${r(36)}` },
  { kind: 'github-token', text: `pat ${'github'}_pat_${r(22)}_${r(59)}`, secret: r(59) },
  { kind: 'anthropic-key', text: `ANTHROPIC says ${'sk-'}ant-api03-${r(80)}`, secret: r(80) },
  { kind: 'openai-key', text: `${'sk-'}proj-${r(48)} is my key`, secret: r(48) },
  {
    kind: 'jwt',
    text: `Authorization: Bearer ${'eyJ'}hbGciOiJIUzI1NiJ9.${'eyJ'}zdWIiOiIxMjM0NTY3ODkwIn0.${r(43)}`,
    secret: r(43),
  },
  {
    kind: 'url-password',
    text: `connect to postgres://admin:${r(12)}@db.internal:5432/app`,
    secret: r(12),
  },
  {
    kind: 'private-key',
    text: `here: ${'-----BEGIN'} RSA PRIVATE KEY-----\nMIIE${r(60)}\n-----END RSA PRIVATE KEY-----`,
    secret: r(60),
  },
  {
    kind: 'private-key',
    text: `cut short ${'-----BEGIN'} OPENSSH PRIVATE KEY-----\nb3Bl${r(50)}`,
    secret: r(50),
  },
  {
    kind: 'secret-assignment',
    text: `.env:\nDATABASE_PASSWORD=${r(10)}9\nPORT=3000`,
    secret: `${r(10)}9`,
  },
  { kind: 'secret-assignment', text: `export STRIPE_API_KEY="${r(24)}"`, secret: r(24) },
  { kind: 'slack-token', text: `bot ${'xox'}b-1234567890-${r(24)}`, secret: r(24) },
  {
    kind: 'slack-webhook',
    text: `post to https://hooks.slack.com/services/T0${r(8)}/B0${r(8)}/${r(24)}`,
    secret: r(24),
  },
  { kind: 'stripe-key', text: `${'sk_'}live_${r(24)}`, secret: r(24) },
  { kind: 'google-api-key', text: `${'AIza'}${r(35)}`, secret: r(35) },
];

describe('redactSecrets', () => {
  for (const { kind, text, secret } of CORPUS) {
    it(`removes a ${kind}`, () => {
      const out = redactSecrets(text);
      expect(out).not.toContain(secret);
      expect(out).toMatch(/\[REDACTED:[a-z-]+\]/);
    });
  }

  it('keeps ordinary prompts as they are', () => {
    for (const text of [
      'fix the login redirect loop after the OAuth callback',
      'the auth token: refresh it when it expires',
      'password: see the vault',
      'run npm test and check src/sk-widget.ts',
      'https://github.com/acme/api/pull/142',
    ])
      expect(redactSecrets(text)).toBe(text);
  });

  it('keeps the label of an assignment and the user and host of a URL', () => {
    expect(redactSecrets(`GITHUB_TOKEN=${'gh'}p_${r(36)}`)).toMatch(/^GITHUB_TOKEN=\[REDACTED:/);
    expect(redactSecrets(`https://bob:${r(12)}@example.com/x`)).toBe(
      'https://bob:[REDACTED:url-password]@example.com/x',
    );
  });
});
