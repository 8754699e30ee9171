/** The arena command on its own, for tests that spawn it before it is registered in the main CLI. */
import { Command } from 'commander';
import { registerArena } from '../../../src/app/commands/arena.js';

const program = new Command('arbiter');
registerArena(program);
await program.parseAsync(process.argv);
