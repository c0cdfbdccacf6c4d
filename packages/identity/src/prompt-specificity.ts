/**
 * Our rule for prompt-only fingerprint matches (docs/identity.md): a match on `first_human_prompt_v1`
 * alone may merge two sessions only when the first prompt is specific enough that two unrelated
 * sessions are very unlikely to open with exactly the same text. "hi", "continue", "fix the tests"
 * and slash commands are what people type to start *many* sessions in the same worktree.
 */

/**
 * Minimum length of a specific prompt, in Unicode code points after normalization, a CJK
 * character counting twice (it carries about as much as two or three Latin letters).
 */
export const MIN_SPECIFIC_PROMPT_CODE_POINTS = 32;

/** Minimum number of words of a specific prompt (each CJK character counts as one word). */
export const MIN_SPECIFIC_PROMPT_WORDS = 6;

/** Minimum number of distinct uncommon words (not in the common-word list, ≥ 3 letters). */
export const MIN_SPECIFIC_PROMPT_RARE_WORDS = 3;

/** Why a prompt is (not) specific enough for a prompt-only merge. */
export type PromptVerdict =
  'specific' | 'absent' | 'generic_phrase' | 'too_short' | 'too_few_words' | 'too_few_rare_words';

/** Result of {@link assessFirstPrompt}. */
export interface PromptAssessment {
  readonly specific: boolean;
  readonly verdict: PromptVerdict;
  /** Code points of the normalized prompt (leading slash command removed; CJK counts twice). */
  readonly codePoints: number;
  readonly words: number;
  /** Distinct words that are not common English or generic coding vocabulary. */
  readonly rareWords: number;
}

/**
 * Whole prompts that open many unrelated sessions, normalized (lower case, apostrophes dropped,
 * other punctuation → space). Most are also caught by the length and word rules; the list keeps
 * the long generic ones out as well.
 */
const GENERIC_PROMPTS: ReadonlySet<string> = new Set([
  'hi',
  'hello',
  'hey',
  'ok',
  'okay',
  'yes',
  'thanks',
  'thank you',
  'continue',
  'please continue',
  'continue please',
  'go on',
  'go ahead',
  'keep going',
  'proceed',
  'resume',
  'next',
  'start',
  'help',
  'try again',
  'fix it',
  'fix this',
  'fix the tests',
  'fix tests',
  'fix the build',
  'fix the bug',
  'fix the errors',
  'run the tests',
  'run tests',
  'run the build',
  'commit and push',
  'review the code',
  'review my changes',
  'explain this code',
  'explain this codebase',
  'whats next',
  'please continue where you left off',
  'continue where you left off',
  'continue from where you left off',
  'pick up where we left off',
  'look at the failing tests and fix them',
  'run the tests and fix any failures',
  'run the tests and fix the failures',
  'read the readme and tell me what this project does',
  'review the changes and suggest improvements',
  'explain what this codebase does',
  'summarize this project',
]);

/** Function words and generic coding vocabulary: they say nothing about *which* work it is. */
const COMMON_WORDS: ReadonlySet<string> = new Set(
  (
    'the and but for nor yet with from into onto about above below after before again all any ' +
    'are was were been being have has had having does did doing done can could would should will ' +
    'shall may might must not now then than that this these those there here where when what which ' +
    'who whom whose why how its our ours your yours you him her his hers they them their theirs ' +
    'she some more most much many each every other such only own same just also too very off out ' +
    'over under up down left right let lets please thanks thank okay yes ' +
    'continue continuing resume proceed keep going get got make made see look check tell show give ' +
    'try start stop use using need want like think know sure fine good great new next last first ' +
    'one two again still back whole entire rest remaining previous above below thing things stuff ' +
    'something everything anything nothing ' +
    'fix fixes fixed fixing run runs running rerun test tests testing tested spec specs build builds ' +
    'lint linting format formatting typecheck types type code codes coding file files folder repo ' +
    'repository project projects codebase app application readme docs doc documentation comment ' +
    'comments bug bugs error errors issue issues problem problems fail fails failing failed failure ' +
    'failures broken break change changes changed commit commits push pull merge branch diff review ' +
    'reviews explain explanation help implement implementation update updates refactor clean cleanup ' +
    'improve improvement improvements add remove delete write read work working task tasks plan ' +
    'summary summarize status deploy install setup script scripts function functions method class ' +
    'module modules package packages feature features support suggest suggestions todo todos done'
  ).split(' '),
);

const CJK_CHARACTER = /[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]/gu;
const SINGLE_CJK_CHARACTER = /^[\p{Script=Han}\p{Script=Hiragana}\p{Script=Katakana}]$/u;
const WORD = /[\p{L}\p{N}]+/gu;
const LEADING_SLASH_COMMAND = /^\/[\p{L}\p{N}_:.-]*\s*/u;

function phraseKey(text: string): string {
  return text
    .toLowerCase()
    .replace(/['\u2019]/g, '')
    .replace(/[^\p{L}\p{N}]+/gu, ' ')
    .trim();
}

/**
 * Judge whether a sanitized first prompt is specific enough for a prompt-only fingerprint merge:
 * it must be a string that, after NFKC, whitespace collapsing and removing a leading slash
 * command, is not a known generic phrase, has at least {@link MIN_SPECIFIC_PROMPT_CODE_POINTS}
 * code points (CJK counting twice), {@link MIN_SPECIFIC_PROMPT_WORDS} words and
 * {@link MIN_SPECIFIC_PROMPT_RARE_WORDS} distinct uncommon words.
 */
export function assessFirstPrompt(prompt: unknown): PromptAssessment {
  if (typeof prompt !== 'string' || prompt.trim() === '') {
    return { specific: false, verdict: 'absent', codePoints: 0, words: 0, rareWords: 0 };
  }
  const text = prompt
    .normalize('NFKC')
    .replace(/\s+/gu, ' ')
    .trim()
    .replace(LEADING_SLASH_COMMAND, '')
    .trim();
  const cjk = text.match(CJK_CHARACTER)?.length ?? 0;
  const codePoints = [...text].length + cjk;
  const words = text.toLowerCase().replace(CJK_CHARACTER, ' $& ').match(WORD) ?? [];
  const rare = new Set(
    words.filter(
      (word) =>
        SINGLE_CJK_CHARACTER.test(word) || ([...word].length >= 3 && !COMMON_WORDS.has(word)),
    ),
  );
  const counts = { codePoints, words: words.length, rareWords: rare.size };
  const verdict: PromptVerdict = GENERIC_PROMPTS.has(phraseKey(text))
    ? 'generic_phrase'
    : codePoints < MIN_SPECIFIC_PROMPT_CODE_POINTS
      ? 'too_short'
      : words.length < MIN_SPECIFIC_PROMPT_WORDS
        ? 'too_few_words'
        : rare.size < MIN_SPECIFIC_PROMPT_RARE_WORDS
          ? 'too_few_rare_words'
          : 'specific';
  return { specific: verdict === 'specific', verdict, ...counts };
}
