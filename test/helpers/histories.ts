// Histories of finished runs, kept as fixtures: every later version of the workflow code must replay
// them, or guard its change with patched(). `RECORD_HISTORIES=<tag> npx vitest run test/workflows/cycle-2019.test.ts`
// writes a new set under test/fixtures/histories/<tag>/.
import { mkdirSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { TestWorkflowEnvironment } from '@temporalio/testing';
import { temporal } from '@temporalio/proto';

const { History } = temporal.api.history.v1;

export const HISTORIES_DIR = fileURLToPath(new URL('../fixtures/histories/', import.meta.url));

export async function recordHistories(env: TestWorkflowEnvironment, workflowIds: string[]): Promise<void> {
  const dir = join(HISTORIES_DIR, process.env.RECORD_HISTORIES ?? 'new');
  mkdirSync(dir, { recursive: true });
  for (const id of workflowIds) {
    const history = await env.client.workflow.getHandle(id).fetchHistory();
    // Binary protobuf: the SDK's own encoding, so a fixture reads back exactly as the server sent it.
    writeFileSync(join(dir, `${id}.pb`), History.encode(history).finish());
  }
}

/** The first `count` runs of a workflow that continued as new, from `runId` on, as `<id>@<n>.pb`. */
export async function recordRuns(env: TestWorkflowEnvironment, workflowId: string, runId: string, count: number): Promise<void> {
  const dir = join(HISTORIES_DIR, process.env.RECORD_HISTORIES ?? 'new');
  mkdirSync(dir, { recursive: true });
  let run: string | undefined = runId;
  for (let n = 1; n <= count && run; n += 1) {
    const history = await env.client.workflow.getHandle(workflowId, run).fetchHistory();
    writeFileSync(join(dir, `${workflowId}@${n}.pb`), History.encode(history).finish());
    run = history.events?.at(-1)?.workflowExecutionContinuedAsNewEventAttributes?.newExecutionRunId ?? undefined;
  }
}

export function loadHistories(): { workflowId: string; history: temporal.api.history.v1.IHistory; file: string }[] {
  return readdirSync(HISTORIES_DIR, { recursive: true, encoding: 'utf8' })
    .filter((f) => f.endsWith('.pb'))
    .sort()
    .map((file) => ({
      file,
      workflowId: file.replace(/^.*\//, '').replace(/(@\d+)?\.pb$/, ''),
      history: History.decode(readFileSync(join(HISTORIES_DIR, file))),
    }));
}
