import { performance } from 'node:perf_hooks';
import { MessageChannel, type MessagePort, receiveMessageOnPort, Worker } from 'node:worker_threads';
import { ScanInterrupted } from '../engine/types.js';
import type { Rule, RuleHit } from '../rules/rule.js';

/** A rule as the worker compiles it: data only (repository rules have no functions). */
export interface SandboxRuleSpec {
  readonly id: string;
  readonly source: string;
  readonly flags: string;
  readonly minEntropy?: number;
}

/** What the worker is started with (plus the port it answers on). */
export interface SandboxWorkerData {
  readonly flag: Int32Array;
  readonly rules: readonly SandboxRuleSpec[];
}

export interface SandboxRequest {
  readonly id: number;
  readonly rule: number;
  readonly texts: readonly string[];
}

export type SandboxReply =
  /** `ms`: how long the regex ran in the worker (what the rule's account is charged). */
  | { readonly id: number; readonly hits: RuleHit[][]; readonly ms: number }
  | { readonly id: number; readonly error: string };

/**
 * Each sandboxed rule has a time account that grows with the text it is given: `baseMs` once, plus `msPerMiB` per
 * MiB searched. A call may use what is left of it; a rule that overdraws is stopped for the rest of the scan. So
 * a hostile regex costs at most baseMs + msPerMiB per MiB over the whole scan (linear in the input), while a
 * sane one, which spends microseconds per KiB, never comes near its account even on a loaded machine.
 */
export interface SandboxBudget {
  readonly baseMs: number;
  readonly msPerMiB: number;
  /** How long the (trusted) worker may take to start. */
  readonly startMs: number;
  /**
   * What a call may wait beyond the rule's account for the round trip itself (posting, waking, copying): that is
   * not charged, so a fast rule that meets its keyword in a hundred thousand files is not stopped for the messages.
   */
  readonly slackMs: number;
  /**
   * One account that all of a repository's rules share, on top of each rule's own: `poolBaseMs` plus `poolMsPerMiB`
   * per MiB of the most text any rule was given. Without it fifty hostile rules would each spend their own account
   * (a two-minute stall before any `--time-budget`); with it the config as a whole costs at most this much.
   */
  readonly poolBaseMs: number;
  readonly poolMsPerMiB: number;
}

export const SANDBOX_BUDGET: SandboxBudget = {
  baseMs: 2000,
  msPerMiB: 500,
  startMs: 30_000,
  slackMs: 500,
  poolBaseMs: 5000,
  poolMsPerMiB: 1000,
};

/** Repository rules run here: in a worker thread, each under a time account, stopped (and reported) on overdraw. */
export interface RegexSandbox {
  /** The same rule, with its pattern run in the worker (`matchOutside`). */
  guard(rule: Rule): Rule;
  /** Rules that were stopped or failed, and why: the scan is not complete (reported as warnings, exit 2). */
  readonly failures: readonly string[];
  /**
   * The scan's own deadline (`--time-budget`, as a Date.now() time): no call waits past it, however much a rule has
   * left in its account; a call cut short there throws {@link ScanInterrupted}, so the scan reports the budget ran
   * out (the rule is not blamed). Without it a rule's account, grown on megabytes searched quickly, held a scan
   * with a 3 s budget for 15 s.
   */
  stopBy(deadline: number): void;
  /** Stop the worker (the scan is over). */
  close(): void;
}

interface Account {
  readonly id: string;
  bytes: number;
  spentMs: number;
  failed: boolean;
}

interface Running {
  readonly worker: Worker;
  readonly port: MessagePort;
  readonly flag: Int32Array;
}

const MIB = 1 << 20;

/**
 * Wait until the worker raises `flag` or `ms` pass; true when it was raised. A wake-up alone proves nothing: when
 * the worker answered before this thread began to wait, its notify arrives late and wakes the next call's wait
 * before that call's reply exists, so the flag is what counts.
 */
function waitRaised(flag: Int32Array, ms: number): boolean {
  const deadline = performance.now() + ms;
  for (;;) {
    if (Atomics.load(flag, 0) !== 0) return true;
    const rest = deadline - performance.now();
    if (rest <= 0) return false;
    Atomics.wait(flag, 0, 0, rest);
  }
}

/**
 * A regex sandbox for rules from an untrusted config. The engine is synchronous, so each call posts the texts to
 * the worker and blocks in Atomics.wait until the worker raises a shared flag or the rule's time runs out; on
 * time-out the worker is terminated (V8 interrupts a running regex) and a fresh one is started for the next call.
 * The worker starts on the first call, so a config whose rules never meet their keywords costs nothing.
 *
 * @example
 * const sandbox = createRegexSandbox();
 * const rules = config.rules.map((r) => sandbox.guard(r));
 */
export function createRegexSandbox(
  budget: SandboxBudget = SANDBOX_BUDGET,
  workerUrl: URL = new URL('./regex-worker.js', import.meta.url),
): RegexSandbox {
  const specs: SandboxRuleSpec[] = [];
  const accounts: Account[] = [];
  const failures: string[] = [];
  let running: Running | undefined;
  let nextId = 0;
  let deadline = Number.POSITIVE_INFINITY;
  let poolSpentMs = 0;
  let poolSpent = false;

  const stop = (): void => {
    // terminate() asks V8 to interrupt whatever runs there, a backtracking regex included.
    void running?.worker.terminate();
    running?.port.close();
    running = undefined;
  };

  const start = (): Running | undefined => {
    const flag = new Int32Array(new SharedArrayBuffer(4));
    const { port1, port2 } = new MessageChannel();
    const data: SandboxWorkerData & { port: MessagePort } = { flag, rules: specs, port: port2 };
    const worker = new Worker(workerUrl, {
      workerData: data,
      transferList: [port2],
      // A rule's matches are held in the worker before they are sent: bound that heap too.
      resourceLimits: { maxOldGenerationSizeMb: 256 },
    });
    worker.unref();
    // An error event cannot be seen while this thread waits; a worker that dies at start simply never raises.
    worker.on('error', () => {});
    if (!waitRaised(flag, budget.startMs)) {
      void worker.terminate();
      port1.close();
      return undefined;
    }
    return { worker, port: port1, flag };
  };

  const fail = (account: Account, why: string): void => {
    account.failed = true;
    failures.push(
      `rule "${account.id}" ${why}; the rest of the scan ran without it, so the scan is not complete`,
    );
  };

  const run = (index: number, texts: readonly string[]): RuleHit[][] => {
    const none = texts.map(() => []);
    const account = accounts[index]!;
    if (account.failed) return none;
    if (poolSpent) {
      fail(account, "was not run further: the repository rules' shared time budget ran out");
      return none;
    }
    account.bytes += texts.reduce((n, t) => n + t.length, 0);
    running ??= start();
    if (!running) {
      fail(account, `was not run: the regex worker did not start within ${budget.startMs / 1000} s`);
      return none;
    }
    const mostBytes = Math.max(...accounts.map((a) => a.bytes));
    const poolLeft = budget.poolBaseMs + (mostBytes / MIB) * budget.poolMsPerMiB - poolSpentMs;
    const ownLeft = budget.baseMs + (account.bytes / MIB) * budget.msPerMiB - account.spentMs;
    const left = Math.min(ownLeft, poolLeft);
    const id = nextId++;
    const { flag, port } = running;
    Atomics.store(flag, 0, 0);
    const untilDeadline = deadline - Date.now();
    if (untilDeadline <= 0) throw new ScanInterrupted();
    const started = performance.now();
    port.postMessage({ id, rule: index, texts } satisfies SandboxRequest);
    const overdrawn = (): void => {
      if (poolLeft < ownLeft) {
        poolSpent = true;
        fail(account, 'was stopped: the repository rules together ran past their shared time budget');
        return;
      }
      const mb = (account.bytes / MIB).toFixed(2);
      fail(
        account,
        `was stopped: its regex ran past its time budget (${(account.spentMs / 1000).toFixed(1)} s for ${mb} MB searched)`,
      );
    };
    const allowed = Math.max(1, left) + budget.slackMs;
    if (!waitRaised(flag, Math.min(allowed, untilDeadline))) {
      const spent = performance.now() - started;
      account.spentMs += spent;
      poolSpentMs += spent;
      stop();
      if (untilDeadline < allowed) throw new ScanInterrupted();
      overdrawn();
      return none;
    }
    const reply = receiveMessageOnPort(port)?.message as SandboxReply | undefined;
    if (!reply || reply.id !== id || 'error' in reply) {
      stop();
      fail(account, `failed: ${reply && 'error' in reply ? reply.error : 'the regex worker did not answer'}`);
      return none;
    }
    account.spentMs += reply.ms;
    poolSpentMs += reply.ms;
    // An answer that came within the slack but past the account still overdrew it: keep what it found, run it no
    // more (else each call could take the slack again).
    if (reply.ms > left) overdrawn();
    return reply.hits;
  };

  return {
    guard(rule) {
      const index = specs.length;
      specs.push({
        id: rule.id,
        source: rule.pattern.source,
        flags: rule.pattern.flags,
        ...(rule.minEntropy !== undefined ? { minEntropy: rule.minEntropy } : {}),
      });
      accounts.push({ id: rule.id, bytes: 0, spentMs: 0, failed: false });
      return { ...rule, matchOutside: (texts) => run(index, texts) };
    },
    failures,
    stopBy(at) {
      deadline = at;
    },
    close: stop,
  };
}
