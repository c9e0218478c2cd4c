import type { Command } from 'commander';
import { registerHooks } from './hooks.js';
import { registerRedact } from './redact.js';
import { registerScan } from './scan.js';

/** A CLI command module: adds its command(s) to the program. Each file in this folder exports one. */
export type RegisterCommand = (program: Command) => void;

/** Every command module, in help order. Add a new command by adding its register function here. */
export const COMMANDS: readonly RegisterCommand[] = [registerScan, registerRedact, registerHooks];
