// `perfcycle login / logout / whoami`'s command lines; what they do: ../auth-commands.ts.
import type { Command } from 'commander';
import { AS_HELP, loadOnRun } from './shared.js';

const run = loadOnRun(() => import('../auth-commands.js'));

export function registerAuthCommands(program: Command): void {
  program.command('login <id>')
    .description('登录 API（密码，或邮件中的一次性链接），保存会话供其他命令使用 / sign in to the API (a password, or the mailed one-time link); the session is kept for the other commands')
    .option('--api <url>', 'API 地址（默认 PERFCYCLE_API，否则 PUBLIC_URL）/ the API address (default: PERFCYCLE_API, else PUBLIC_URL)')
    .option('--password-stdin', '从标准输入读取密码 / read the password from standard input')
    .option('--link <link>', '使用已有的一次性登录链接（如管理员用 perfcycle admin link 打印的）/ use a one-time link already in hand (e.g. printed by perfcycle admin link)')
    .action(run('login'));

  program.command('logout')
    .description('退出登录：服务器结束该会话，本机删除其令牌 / sign out: the server ends the session and its token is removed here')
    .option('--as <id>', AS_HELP)
    .action(run('logout'));

  program.command('whoami')
    .description('本机保存的登录身份，以服务器所知为准 / the identities signed in from here, as the server knows them')
    .option('--json', 'JSON')
    .action(run('whoami'));
}
