import { describe, expect, it } from 'vitest';
import { isHushError } from '../../core/errors/index.js';
import type { SecretInfo } from '../../store/index.js';
import { hushValueOf, kvDataOf, kvMetadataReply, kvReadReply, mergePatch } from './kv-shapes.js';

describe('KV v2 shapes over Hush secrets', () => {
  it('a KV write needs a JSON object; a Hush string value reads as {"value": ...}', () => {
    expect(hushValueOf({ a: 1 })).toEqual({ a: 1 });
    for (const bad of ['text', [1], null, 3]) {
      try {
        hushValueOf(bad);
        expect.unreachable();
      } catch (err) {
        expect(isHushError(err, 'HUSH_E_INVALID_INPUT')).toBe(true);
      }
    }
    expect(kvDataOf('plain')).toEqual({ value: 'plain' });
    expect(kvDataOf({ k: 'v' })).toEqual({ k: 'v' });
  });

  it('reads carry the version metadata; tags are custom_metadata (null when none)', () => {
    const read = { path: 'a/b/c', version: 3, value: { k: 'v' }, createdAt: 't3', createdBy: 'x', tags: {} };
    expect(kvReadReply(read)).toEqual({
      data: { k: 'v' },
      metadata: {
        created_time: 't3',
        custom_metadata: null,
        deletion_time: '',
        destroyed: false,
        version: 3,
      },
    });
    expect(kvReadReply({ ...read, tags: { team: 'web' } }).metadata.custom_metadata).toEqual({ team: 'web' });
  });

  it('metadata lists every kept version by number with its deletion time and destroyed flag', () => {
    const info: SecretInfo = {
      path: 'a/b/c',
      current: 3,
      createdAt: 't1',
      createdBy: 'x',
      updatedAt: 't3',
      updatedBy: 'x',
      tags: { owner: 'me' },
      versions: [
        {
          version: 2,
          state: 'destroyed',
          createdAt: 't2',
          createdBy: 'x',
          destroyedAt: 'd2',
          destroyedBy: 'x',
        },
        { version: 3, state: 'deleted', createdAt: 't3', createdBy: 'x', deletedAt: 'd3', deletedBy: 'x' },
        { version: 4, state: 'active', createdAt: 't4', createdBy: 'x' },
      ],
    };
    expect(kvMetadataReply(info)).toEqual({
      cas_required: false,
      created_time: 't1',
      current_version: 3,
      custom_metadata: { owner: 'me' },
      delete_version_after: '0s',
      max_versions: 0,
      oldest_version: 2,
      updated_time: 't3',
      versions: {
        '2': { created_time: 't2', deletion_time: 'd2', destroyed: true },
        '3': { created_time: 't3', deletion_time: 'd3', destroyed: false },
        '4': { created_time: 't4', deletion_time: '', destroyed: false },
      },
    });
  });

  it('PATCH merges as RFC 7396: null removes, objects merge, the rest replaces, inputs untouched', () => {
    const target = { a: 1, b: { c: 2, e: [1] }, keep: 'x' };
    const patch = { a: null, b: { d: 3, e: [2] }, n: { deep: true } };
    expect(mergePatch(target, patch)).toEqual({ b: { c: 2, d: 3, e: [2] }, keep: 'x', n: { deep: true } });
    expect(target).toEqual({ a: 1, b: { c: 2, e: [1] }, keep: 'x' });
    expect(mergePatch({ a: { b: 1 } }, { a: 'flat' })).toEqual({ a: 'flat' });
  });
});
