import type { CommandSpec } from '../../command-spec.js';

/** The bash/zsh completion script (yargs' template; it calls `sessions-db --get-yargs-completions`). */
export async function renderCompletionScript(): Promise<string> {
  const { default: yargs } = await import('yargs');
  let script = '';
  const parser = yargs().scriptName('sessions-db');
  await parser
    .command(
      'completion',
      '',
      (y) => y,
      () => {
        parser.showCompletionScript();
      },
    )
    .parseAsync(['completion'], {}, (_error, _args, output) => {
      script = output;
    });
  return script.trimEnd();
}

/** `sessions-db completion`. */
export const completionCommand: CommandSpec = {
  command: 'completion',
  describe: 'Print a shell completion script (bash, zsh)',
  builder: (yargs) =>
    yargs
      .example('$0 completion >> ~/.bashrc', 'Enable completion in bash')
      .example('$0 completion >> ~/.zshrc', 'Enable completion in zsh'),
  async run() {
    const script = await renderCompletionScript();
    return { json: { ok: true, script }, text: script };
  },
};
