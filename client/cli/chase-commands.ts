// Chasing an item by hand, as a signed-in person over the API: urge (催办) whoever must act on it now,
// extend (延期) its deadline. The server decides who may, and says why not.
import type { Command } from 'commander';
import { AS_HELP, asPerson, deliverableAction } from './api-client.js';
import { json, out } from './io.js';

export function registerChaseCommands(program: Command): void {
  program.command('urge <cycle> <deliverable>')
    .description('催办：立即发邮件提醒现在应办理的人（每人每天一次）/ urge whoever must act on an item now: one mail at once (once a day per person)')
    .option('--as <id>', AS_HELP)
    .option('--message <text>', '留言 / words for the person urged')
    .option('--json', 'JSON')
    .action(async (id: string, deliverable: string, opts: { as?: string; message?: string; json?: boolean }) => {
      const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'urge', { ...(opts.message && { message: opts.message }) }));
      if (opts.json) json(snap); else out(`已催办 / urged ${snap.actors.join(', ') || snap.owner}: ${deliverable}`);
    });

  program.command('extend <cycle> <deliverable>')
    .description('延期：把事项的期限推后（局办公室）/ extend an item\'s deadline to a later day (the coordinator)')
    .option('--as <id>', AS_HELP)
    .requiredOption('--due <date>', '新的期限 YYYY-MM-DD，须在今天以后 / the new due date, after today')
    .requiredOption('--reason <text>', '延期理由 / why')
    .option('--json', 'JSON')
    .action(async (id: string, deliverable: string, opts: { as?: string; due: string; reason: string; json?: boolean }) => {
      const snap = await asPerson(opts.as, (api) => deliverableAction(api, id, deliverable, 'extend', { due: opts.due, reason: opts.reason }));
      // The deadline is an instant with the cycle's offset: its first ten characters are the cycle's day.
      if (opts.json) json(snap); else out(`已延期 / extended ${deliverable}: 新期限 new due ${snap.due.slice(0, 10)}`);
    });
}
