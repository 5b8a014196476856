// One person's mail of one slot, as the cycle workflow hands it to the mail activity: one reminder to
// 许志强 of the 2019 cycle, under a key no other test uses.
import type { Digest } from '../../activities/mail.js';

let seq = 0;

export function reminderDigest(slot: string): Digest {
  seq += 1;
  return {
    key: `perfcycle-jinjiang-zrzy-2019|head-xu|${slot}|${seq}|${Math.random()}`,
    cycleId: 'perfcycle-jinjiang-zrzy-2019',
    unit: { id: 'jinjiang-zrzy', name: '晋江市自然资源局' },
    timeZone: 'Asia/Shanghai',
    to: { id: 'head-xu', name: '许志强', email: 'head-xu@jinjiang.example', lang: 'zh-CN' },
    slot,
    notices: [{
      slot, to: 'head-xu', kind: 'reminder', deliverableId: 'summary-law', daysBefore: 3, owner: 'head-xu',
      title: { zh: '年度工作总结', en: 'annual summary' }, due: '2020-01-31T23:59:59.999+08:00',
    }],
  };
}
