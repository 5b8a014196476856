// Workflow code imports domain modules for their pure rules, and Temporal evaluates a workflow's modules
// anew for every workflow it runs (its reusable V8 context shares only preloaded modules). A zod schema
// built at import time is therefore built, and held, once per workflow in the worker's cache — even by the
// deliverable workflows that never validate anything (the city benchmark's heap snapshot: ~360 schema
// objects per workflow; the workflow thread went from 170 to 117 MiB at 85 cached workflows when they
// were built on first use instead).
export function lazy<T>(build: () => T): () => T {
  let built: { value: T } | undefined;
  return () => (built ??= { value: build() }).value;
}
