import type { Rule } from '../rule.js';
import { chatOtherRules } from './others.js';
import { slackRules } from './slack.js';

/** Chat platform tokens and webhooks. */
export const chatRules: readonly Rule[] = [...slackRules, ...chatOtherRules];
