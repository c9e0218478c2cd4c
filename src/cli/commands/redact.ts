import type { Command } from 'commander';

async function* stdinText(): AsyncIterable<string> {
  process.stdin.setEncoding('utf8');
  for await (const chunk of process.stdin) yield chunk as string;
}

function writeOut(s: string): Promise<void> | undefined {
  if (process.stdout.write(s)) return undefined;
  return new Promise((resolve) => process.stdout.once('drain', () => resolve()));
}

/** `hush redact`: copy stdin to stdout with detected secrets masked (for log pipelines). */
export function registerRedact(program: Command): void {
  program
    .command('redact')
    .description('copy stdin to stdout with detected secrets replaced by [REDACTED:rule-id]')
    .action(async () => {
      // The rules load on use, not at every CLI start.
      const { redactStream } = await import('../../scan/redact.js');
      await redactStream(stdinText(), writeOut);
      process.exitCode = 0;
    });
}
