import { basename } from 'node:path';
import { fileURLToPath } from 'node:url';
import Generator, { type BaseOptions } from 'yeoman-generator';
import { validateAnswers, type Answers, type RawAnswers } from '../../lib/answers.ts';
import { buildContext } from '../../lib/context.ts';
import { appOptions } from './command.ts';

// Nothing we write is HTML: EJS's default HTML escaping would turn an apostrophe into &#39;.
const TEMPLATE_OPTIONS = { transformOptions: { escape: (text: unknown) => String(text) } };

type Options = BaseOptions & Record<string, unknown> & { yes?: boolean };

export default class AppGenerator extends Generator<Record<string, unknown>, Options> {
  answers!: Answers;

  constructor(args: string[], options: Options) {
    super(args, options, { customInstallTask: true });
    for (const o of appOptions) {
      // Strings even for numbers: yeoman turns Number options into boolean flags.
      this.option(o.name, { type: String, description: o.description });
    }
    this.option('yes', { type: Boolean, description: 'Take defaults for everything not given; ask nothing' });
    this.sourceRoot(fileURLToPath(new URL('../../templates', import.meta.url)));
  }

  async prompting(): Promise<void> {
    // Flags win over answers stored in .yo-rc.json by an earlier run; both win over questions.
    const known: RawAnswers = { ...this.config.getAll() };
    for (const o of appOptions) {
      const flag = this.options[o.name];
      if (flag !== undefined && flag !== null && flag !== '') known[o.name] = flag;
    }
    const folder = basename(this.destinationRoot());
    for (const o of appOptions) {
      if (known[o.name] !== undefined || (o.when && !o.when(known))) continue;
      const fallback = o.default(known, folder);
      if (this.options.yes) {
        if (fallback !== undefined) known[o.name] = fallback;
        continue;
      }
      const choices = o.choices?.();
      const reply = await this.prompt<Record<string, string>>([
        { type: choices ? 'select' : 'input', name: o.name, message: o.description, default: fallback, ...(choices ? { choices } : {}) },
      ]);
      known[o.name] = reply[o.name];
    }
    this.answers = validateAnswers(known);
  }

  // Stored last: a run that stops at a file conflict must not leave answers behind that the files don't match.
  end(): void {
    this.config.set({ ...this.answers });
  }

  writing(): void {
    const context = buildContext(this.answers);
    for (const file of context.files) {
      this.renderTemplate(file.source, file.destination, context, TEMPLATE_OPTIONS);
    }
  }
}
