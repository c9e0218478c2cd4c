import { join } from 'node:path';
import { gzipSync } from 'node:zlib';
import { beforeAll, describe, expect, it } from 'vitest';
import { githubTokenFor } from '../src/scan/rules/index.js';
import { runScan } from '../src/scan/run-scan.js';
import { fsSource } from '../src/scan/sources/fs-source.js';
import { put, tempDir } from './scan-support/git-repo.js';
import { tarOf } from './scan-support/tar-writer.js';
import { assertCompiledCli, hush } from './support/run-hush.js';

const AWS = 'AKIAZ4XQ7RZ2LMNBVC3D';
const GH = githubTokenFor('R8fQz2LpX7vKc3NwT9mYb5HsD1gJa4');

const found = async (dir: string) => {
  const r = await runScan([fsSource({ roots: [dir] })]);
  return {
    where: r.findings.map((f) => `${f.path.slice(dir.length).replace(/^\//, '')}:${f.ruleId}`).sort(),
    warnings: r.warnings,
  };
};

const hex = (c: string) => c.repeat(64);
const layerTar = tarOf([{ name: 'etc/app.env', data: `k=${AWS}\n` }]);

/** A valid OCI layout (one manifest, one layer, a config) as name -> bytes. */
function ociFiles(extra: Record<string, string | Uint8Array> = {}): Record<string, string | Uint8Array> {
  const manifest = JSON.stringify({
    config: { digest: `sha256:${hex('c')}` },
    layers: [{ digest: `sha256:${hex('a')}` }],
  });
  return {
    'oci-layout': '{"imageLayoutVersion":"1.0.0"}',
    'index.json': JSON.stringify({ manifests: [{ digest: `sha256:${hex('d')}` }] }),
    [`blobs/sha256/${hex('d')}`]: manifest,
    [`blobs/sha256/${hex('c')}`]: '{}',
    [`blobs/sha256/${hex('a')}`]: layerTar,
    ...extra,
  };
}

describe('image detection cannot hide a tree', () => {
  it('two marker files are not an OCI image: the folder is scanned', async () => {
    const dir = tempDir();
    put(dir, 'index.json', '{}\n');
    put(dir, 'oci-layout', '{}\n');
    put(dir, 'app.env', `k=${AWS}\n`);
    put(dir, 'sub/token.txt', `${GH}\n`);
    expect((await found(dir)).where).toEqual([
      'app.env:aws-access-key-id',
      'sub/token.txt:github-pat-classic',
    ]);
  });

  it('a tar whose manifest.json names no layer is scanned as a plain tar', async () => {
    const dir = tempDir();
    put(
      dir,
      'fake.tar',
      tarOf([
        { name: 'manifest.json', data: '[{"Layers":[]}]' },
        { name: 'deploy/.env', data: `k=${AWS}\n` },
      ]),
    );
    expect((await found(dir)).where).toEqual(['fake.tar!deploy/.env:aws-access-key-id']);
  });

  it('a real OCI folder: layers are read as layers, and every other file in it is scanned too', async () => {
    const dir = tempDir();
    for (const [name, data] of Object.entries(
      ociFiles({ 'notes.txt': `${GH}\n`, 'blobs/x.env': `k=${AWS}\n` }),
    )) {
      put(dir, name, data);
    }
    const r = await found(dir);
    expect(r.where).toEqual([
      `!${'a'.repeat(12)}!etc/app.env:aws-access-key-id`,
      'blobs/x.env:aws-access-key-id',
      'notes.txt:github-pat-classic',
    ]);
    expect(r.warnings).toEqual([]);
  });

  it('a real image tar: extra entries and a second entry under a layer name are scanned', async () => {
    const dir = tempDir();
    const d1 = `${hex('1')}/layer.tar`;
    put(
      dir,
      'image.tar',
      tarOf([
        { name: 'manifest.json', data: JSON.stringify([{ Layers: [d1] }]) },
        // Same name as the layer: the tar keeps the later one, the earlier one must not vanish.
        { name: d1, data: `hidden=${GH}\n` },
        { name: d1, data: gzipSync(layerTar) },
        { name: 'extra/secret.env', data: `k=${AWS}\n` },
      ]),
    );
    expect((await found(dir)).where).toEqual([
      `image.tar!${'1'.repeat(12)}!etc/app.env:aws-access-key-id`,
      `image.tar!${d1}:github-pat-classic`,
      'image.tar!extra/secret.env:aws-access-key-id',
    ]);
  });

  it('a streamed image tar (a layer over 4 MiB): the other entries are scanned and a missing layer is warned', async () => {
    const dir = tempDir();
    const big = tarOf([
      { name: 'filler.txt', data: `${'filler line\n'.repeat(500_000)}` },
      { name: 'etc/app.env', data: `k=${AWS}\n` },
    ]);
    expect(big.length).toBeGreaterThan(4 << 20);
    const d1 = `${hex('1')}/layer.tar`;
    const d2 = `${hex('2')}/layer.tar`;
    put(
      dir,
      'image.tar',
      tarOf([
        { name: 'manifest.json', data: JSON.stringify([{ Layers: [d1, d2] }]) },
        { name: d1, data: big },
        { name: 'extra/secret.env', data: `${GH}\n` },
      ]),
    );
    const r = await found(dir);
    expect(r.where).toEqual([
      `image.tar!${'1'.repeat(12)}!etc/app.env:aws-access-key-id`,
      'image.tar!extra/secret.env:github-pat-classic',
    ]);
    expect(r.warnings).toEqual([
      { path: `${join(dir, 'image.tar')}!${d2}`, message: expect.stringMatching(/not in the archive/) },
    ]);
  });

  it('a tar inside a tar is opened by its content, whatever its name (an OCI blob has no .tar)', async () => {
    const dir = tempDir();
    put(dir, 'plain.tar', tarOf([{ name: `blobs/sha256/${hex('a')}`, data: layerTar }]));
    expect((await found(dir)).where).toEqual([
      `plain.tar!blobs/sha256/${hex('a')}!etc/app.env:aws-access-key-id`,
    ]);
  });

  it('digests that leave the layout are not followed; missing layers are warned about', async () => {
    const outside = tempDir();
    put(outside, 'layer.tar', layerTar);
    const dir = tempDir();
    const files = ociFiles();
    const manifest = JSON.stringify({
      layers: [
        { digest: `sha256:${hex('a')}` },
        { digest: `sha256:${hex('b')}` },
        { digest: 'sha256/../../x' },
      ],
    });
    put(dir, 'oci-layout', files['oci-layout']!);
    put(dir, 'index.json', files['index.json']!);
    put(dir, `blobs/sha256/${hex('d')}`, manifest);
    put(dir, `blobs/sha256/${hex('a')}`, layerTar);
    const r = await found(dir);
    expect(r.where).toEqual([`!${'a'.repeat(12)}!etc/app.env:aws-access-key-id`]);
    expect(r.warnings).toEqual([
      {
        path: expect.stringContaining(`blobs/sha256/${hex('b')}`),
        message: expect.stringMatching(/not in the image/),
      },
    ]);
  });
});

describe('hush scan: skipped content is reported in every format', () => {
  beforeAll(() => assertCompiledCli());

  it('a missing image layer shows as a warning in human, JSON and SARIF output', () => {
    const dir = tempDir();
    const d1 = `${hex('1')}/layer.tar`;
    const d2 = `${hex('2')}/layer.tar`;
    put(
      dir,
      'image.tar',
      tarOf([
        { name: 'manifest.json', data: JSON.stringify([{ Layers: [d1, d2] }]) },
        { name: d1, data: layerTar },
      ]),
    );
    const human = hush(['scan', dir]);
    expect(human.code).toBe(1);
    expect(human.stderr).toMatch(/warning: .*image\.tar!2{64}\/layer\.tar: named by the image manifest/);
    const json = JSON.parse(hush(['scan', dir, '--format', 'json']).stdout) as {
      warnings: { path: string }[];
    };
    expect(json.warnings.map((w) => w.path)).toEqual([expect.stringContaining(`image.tar!${d2}`)]);
    const sarif = JSON.parse(hush(['scan', dir, '--format', 'sarif']).stdout) as {
      runs: { invocations: { toolExecutionNotifications: { message: { text: string } }[] }[] }[];
    };
    const notes = sarif.runs[0]!.invocations[0]!.toolExecutionNotifications;
    expect(notes.map((n) => n.message.text)).toEqual([expect.stringMatching(/named by the image manifest/)]);
  });
});
