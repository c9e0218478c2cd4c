import { describe, expect, it } from 'vitest';
import { lineOfPath, parseFieldPath, withFieldLine } from '../console/src/pages/access/json-locate.js';

const DOC = `{
  "description": "a \\"quoted\\" one: rules[9]",
  "rules": [
    { "path": "app/**", "capabilities": ["read"] },
    {
      "path": "ops/**",
      "capabilities": ["list", "raed"]
    }
  ]
}`;

describe('console: the line of a field the server names', () => {
  it('parses a field path and finds where its value starts', () => {
    expect(parseFieldPath('rules[1].capabilities[1]')).toEqual(['rules', 1, 'capabilities', 1]);
    expect(lineOfPath(DOC, ['rules', 1, 'capabilities', 1])).toBe(7);
    expect(lineOfPath(DOC, ['rules', 0, 'path'])).toBe(4);
    expect(lineOfPath(DOC, ['rules', 5])).toBeUndefined();
    expect(lineOfPath('{ "rules": [', ['rules', 0])).toBeUndefined();
  });

  it('adds the line to the server message, passing over words that name no field', () => {
    const message =
      'HUSH_E_INVALID_INPUT: policy is invalid: rules[1].capabilities[1]: unknown capability "raed"';
    expect(withFieldLine(message, DOC)).toBe(`${message} (line 7)`);
    expect(withFieldLine('HUSH_E_INVALID_INPUT: policy is invalid: rules: required', '{}')).toBe(
      'HUSH_E_INVALID_INPUT: policy is invalid: rules: required',
    );
  });
});
