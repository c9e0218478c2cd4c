import type { ScanSource } from './source.js';

async function* utf8Chunks(stream: NodeJS.ReadableStream): AsyncIterable<string> {
  stream.setEncoding('utf8');
  for await (const chunk of stream) yield chunk as string;
}

/**
 * A live text stream (stdin for `kubectl logs -f | hush scan -`): scanned as lines arrive, in bounded windows, so
 * findings are reported while the stream is still open and memory stays flat.
 */
export function streamSource(stream: NodeJS.ReadableStream, path = '-'): ScanSource {
  return {
    async *units() {
      let bytes = 0;
      async function* counted(): AsyncIterable<string> {
        for await (const c of utf8Chunks(stream)) {
          bytes += Buffer.byteLength(c);
          yield c;
        }
      }
      yield {
        path,
        chunks: counted(),
        eager: true,
        get bytes() {
          return bytes;
        },
      };
    },
  };
}
