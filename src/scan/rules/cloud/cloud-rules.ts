import type { Rule } from '../rule.js';
import { awsRules } from './aws.js';
import { azureRules } from './azure.js';
import { gcpRules } from './gcp.js';
import { otherCloudRules } from './other-clouds.js';

/** Cloud provider credentials. */
export const cloudRules: readonly Rule[] = [...awsRules, ...gcpRules, ...azureRules, ...otherCloudRules];
