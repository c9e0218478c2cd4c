import type { DynamoConfigInput } from '../../src/storage/dynamodb/index.js';
/** Fixed dummy credentials: dynalite accepts any signature, and a real endpoint never sees these. */
export declare const DYNALITE_CREDENTIALS: {
    accessKeyId: string;
    secretAccessKey: string;
};
/** A real DynamoDB-compatible server (dynalite, in memory) on a loopback port. */
export interface TestDynamo {
    readonly endpoint: string;
    readonly port: number;
    /** A config for a new, uniquely named table (created on open through createTable). */
    freshConfig(): DynamoConfigInput & {
        table: string;
    };
    /** Stop the server (connections are cut). */
    stop(): Promise<void>;
}
/** Start dynalite on 127.0.0.1 with an OS-chosen port (or `port`, to restart one on the same address). */
export declare function startTestDynamo(port?: number): Promise<TestDynamo>;
/** One dynalite per test file, started on first use; stop it with disposeSharedTestDynamo in afterAll. */
export declare function sharedTestDynamo(): Promise<TestDynamo>;
/** Stop the shared server if one was started. */
export declare function disposeSharedTestDynamo(): Promise<void>;
