#!/usr/bin/env node
import { Command, CommanderError } from 'commander';
import { runGenerator } from '../lib/cli/run-generator.ts';
import { registerMigrate } from './commands/migrate.ts';
import { registerNew } from './commands/new.ts';
import { registerVerify } from './commands/verify.ts';

const program = new Command('graceful')
  .description('Containers with a correct PID 1: generate services that stop gracefully, fix old images, verify any image.')
  .showHelpAfterError()
  // Usage errors exit 2 everywhere (commander's default is 1, which --check uses for findings).
  .exitOverride();
registerNew(program);
registerMigrate(program, (namespace, args, options) => runGenerator(namespace, args, options));
registerVerify(program);

try {
  await program.parseAsync(process.argv);
} catch (error) {
  if (error instanceof CommanderError) {
    // commander has already printed the message (or the help).
    process.exit(error.exitCode === 0 ? 0 : 2);
  }
  // Yeoman errors can carry whole file objects; the message is what the user needs.
  const message = error instanceof Error ? error.message : String(error);
  process.stderr.write(`graceful: ${message}\n`);
  process.exitCode = process.exitCode && process.exitCode !== 0 ? process.exitCode : 2;
}
