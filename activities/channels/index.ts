// Notice channels beside e-mail: chat robots behind one interface (channel.ts), each built from its
// dependencies; a per-robot rate limiter that queues. The activity that sends a digest once per
// channel and message (ledger, fall-back to e-mail) is built on these.
export * from './channel.js';
export * from './dingtalk.js';
export * from './wecom.js';
export * from './rate-limiter.js';
