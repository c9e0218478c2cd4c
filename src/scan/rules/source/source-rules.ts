import type { Rule } from '../rule.js';
import { ciRules } from './ci.js';
import { githubRules } from './github.js';
import { gitlabRules } from './gitlab.js';

/** Source hosting and CI credentials. */
export const sourceRules: readonly Rule[] = [...githubRules, ...gitlabRules, ...ciRules];
