/**
 * The worker thread of the regex sandbox (regex-sandbox.ts): it compiles the repository's rules once and answers
 * `{ id, rule, texts }` with each text's hits. After posting a reply it raises the shared flag, so the scanning
 * thread, blocked in Atomics.wait with a deadline, wakes and reads the reply with receiveMessageOnPort. A regex that
 * runs past the deadline is not waited for: the scanning thread terminates this worker.
 */
import { type MessagePort, workerData } from 'node:worker_threads';
import { matchRule } from '../rules/match-rule.js';
import type { Rule } from '../rules/rule.js';
import type { SandboxReply, SandboxRequest, SandboxWorkerData } from './regex-sandbox.js';

const { port, flag, rules } = workerData as SandboxWorkerData & { port: MessagePort };

const compiled: Rule[] = rules.map((r) => ({
  id: r.id,
  title: r.id,
  severity: 'low',
  keywords: [],
  pattern: new RegExp(r.source, r.flags),
  ...(r.minEntropy !== undefined ? { minEntropy: r.minEntropy } : {}),
  examples: [],
  falsePositives: [],
}));

/**
 * Hits one call (the texts of one file, or of one window of a large one) may give a repository rule. A rule like `[a-z]` matched a million times per MiB: 820 MB and 107 s
 * for a 30 MB file, all of it copied between threads. Real secrets are far sparser than this.
 */
const HIT_LIMIT = 10_000;

function raise(): void {
  Atomics.store(flag, 0, 1);
  Atomics.notify(flag, 0);
}

port.on('message', (req: SandboxRequest) => {
  let reply: SandboxReply;
  try {
    const rule = compiled[req.rule]!;
    const started = performance.now();
    let room = HIT_LIMIT + 1;
    const hits = req.texts.map((t) => {
      const found = room > 0 ? matchRule(rule, t, '', room) : [];
      room -= found.length;
      return found;
    });
    if (room <= 0) {
      throw new Error(
        `it matched more than ${HIT_LIMIT} times in one file (a pattern that matches ordinary text finds no secret, it floods the scan)`,
      );
    }
    reply = { id: req.id, hits, ms: performance.now() - started };
  } catch (err) {
    // A stack overflow in the regex engine, for one: the rule fails, the scan goes on.
    reply = { id: req.id, error: err instanceof Error ? err.message : String(err) };
  }
  port.postMessage(reply);
  raise();
});
raise();
