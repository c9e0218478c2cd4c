import { Readable } from 'node:stream';
import { describe, expect, it } from 'vitest';
import { readSecretInput } from './secret-input.js';

const fromStdin = (text: string) =>
  readSecretInput([], {
    jsonValue: true,
    maxBytes: 1 << 20,
    stdin: Readable.from([Buffer.from(text)]) as unknown as NodeJS.ReadStream,
  });

describe('readSecretInput --json-value', () => {
  it('says the value is not JSON without quoting it (the text is the secret)', async () => {
    const err = await fromStdin('hunter2-very-secret').catch((e: unknown) => e as Error);
    expect(err).toMatchObject({ code: 'HUSH_E_INVALID_INPUT' });
    expect((err as Error).message).not.toContain('hunter2');
  });

  it('refuses a repeated key instead of keeping the last one', async () => {
    await expect(fromStdin('{"user":"a","user":"b"}')).rejects.toMatchObject({
      code: 'HUSH_E_INVALID_INPUT',
    });
    await expect(fromStdin('{"user":"a","password":"b"}')).resolves.toEqual({ user: 'a', password: 'b' });
  });
});
