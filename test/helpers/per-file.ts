// vitest setupFiles: runs with every test file. Files share worker processes (vitest.config.ts,
// `isolate: false`) so that each process loads the modules once; what a file made for itself in a
// module of the helpers ends with the file (its own hooks have run by then: after-hooks run in reverse).
import { afterAll } from 'vitest';
import { closeSharedDb, reusePgliteDatabases } from './db.js';

reusePgliteDatabases();
afterAll(closeSharedDb);
