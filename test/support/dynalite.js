import { randomBytes } from 'node:crypto';
import dynalite from 'dynalite';
/** Fixed dummy credentials: dynalite accepts any signature, and a real endpoint never sees these. */
export const DYNALITE_CREDENTIALS = {
    accessKeyId: 'AKIDTESTDYNALITE',
    secretAccessKey: 'dynalite-test-secret',
};
/** Start dynalite on 127.0.0.1 with an OS-chosen port (or `port`, to restart one on the same address). */
export async function startTestDynamo(port = 0) {
    const server = dynalite({ createTableMs: 0, deleteTableMs: 0, updateTableMs: 0 });
    await new Promise((resolve, reject) => {
        server.once('error', reject);
        server.listen(port, '127.0.0.1', () => resolve());
    });
    const bound = server.address().port;
    const endpoint = `http://127.0.0.1:${bound}`;
    return {
        endpoint,
        port: bound,
        freshConfig: () => ({
            kind: 'dynamodb',
            table: `hush-${randomBytes(6).toString('hex')}`,
            region: 'us-east-1',
            endpoint,
            createTable: true,
            maxAttempts: 2,
            requestTimeoutMs: 2_000,
        }),
        stop: () => new Promise((resolve) => {
            server.closeAllConnections?.();
            server.close(() => resolve());
        }),
    };
}
let shared;
/** One dynalite per test file, started on first use; stop it with disposeSharedTestDynamo in afterAll. */
export function sharedTestDynamo() {
    shared ??= startTestDynamo();
    return shared;
}
/** Stop the shared server if one was started. */
export async function disposeSharedTestDynamo() {
    const s = shared;
    shared = undefined;
    if (s)
        await (await s).stop();
}
//# sourceMappingURL=dynalite.js.map