// `perfcycle admin …`'s command lines; what they do: ../admin-commands.ts.
import type { Command } from 'commander';
import { loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../admin-commands.js'));

export function registerAdminCommands(program: Command): void {
  const admin = program.command('admin').description('组织目录（运维人员，直连数据库）/ the organisation directory (operators: the database directly)');

  admin.command('import <file>')
    .description('导入组织目录 JSON/CSV/XLSX，按 id 新增或更新 / import the directory (JSON, CSV, XLSX); upserts by id')
    .action(run('importDirectory'));

  admin.command('people')
    .description('列出组织目录 / list the directory')
    .option('--json', 'JSON')
    .action(run('people'));

  admin.command('person <id>')
    .description('修改一个人的姓名、邮箱、电话（审计）/ change one person\'s name, e-mail or phone (audited)')
    .option('--name <name>', '姓名 / name')
    .option('--email <email>', '邮箱 / e-mail')
    .option('--phone <phone>', '电话（"" 清空）/ phone ("" clears it)')
    .action(run('person'));

  admin.command('grant <id>')
    .description('授予组织目录管理员 / make a person a directory administrator')
    .action(run('grant'));

  admin.command('revoke <id>')
    .description('撤销管理员 / revoke administrator')
    .action(run('revoke'));

  admin.command('coordinator <unit> <person>')
    .description('登记单位的协调人（可启动该单位的评估周期）/ register the unit\'s coordinator (may start its cycles)')
    .action(run('coordinator'));

  admin.command('link <id>')
    .description('生成一次性登录链接（邮件无法送达时）/ print a one-time sign-in link (when mail does not get through)')
    .action(run('link'));
}
