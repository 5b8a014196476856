// JSON schemas of notice channels (issue 9): chat robots of units and departments, each person's own
// channels and quiet hours, and who a cycle's notices reached by which channel. The values are checked
// again, with messages naming the field, by domain/notice-settings.ts. A robot's address and secret are
// accepted here and never answered: the responses have no field for them.
import { NOTICE_CHANNELS, ROBOT_CHANNELS } from '../../../domain/notice-settings.js';
import { id } from './cycle.js';

const robotChannel = { type: 'string', enum: [...ROBOT_CHANNELS] } as const;
// The format and the count are the domain's to check (domain/notice-settings.ts): its messages say it in both languages.
const hhmm = { type: 'string', maxLength: 5, description: 'HH:mm, read in the cycle\'s time zone (Asia/Shanghai unless its file says otherwise)' } as const;

export const robotBody = {
  type: 'object',
  additionalProperties: false,
  required: ['unit', 'channel', 'webhook'],
  properties: {
    unit: { ...id, description: 'the unit (org_units.id)' },
    department: { ...id, description: 'one of its departments; absent: the unit\'s own robot, for people of departments without one' },
    channel: robotChannel,
    webhook: { type: 'string', maxLength: 1000, description: 'the robot\'s webhook address (https; DingTalk: …/robot/send?access_token=…, WeCom: …/cgi-bin/webhook/send?key=…). A credential: never answered' },
    secret: { type: 'string', maxLength: 200, description: 'DingTalk 加签 secret (SEC…); WeCom robots have none. A credential: never answered' },
  },
} as const;

export interface RobotBody { unit: string; department?: string; channel: 'dingtalk' | 'wecom'; webhook: string; secret?: string }

const whereProps = { unit: id, department: id, channel: robotChannel } as const;

/** Which robot to remove: in the JSON body, or in the query string. */
export const robotWhereBody = { type: 'object', additionalProperties: false, required: ['unit', 'channel'], properties: whereProps } as const;
export const robotWhereQuery = { type: 'object', properties: whereProps } as const;

export const robotsQuery = { type: 'object', properties: { unit: id } } as const;

export const robotResponse = {
  type: 'object',
  properties: {
    unit: { type: 'string' }, unitName: { type: 'string' }, department: { type: 'string' }, departmentName: { type: 'string' },
    channel: { type: 'string' }, robotId: { type: 'string' }, signed: { type: 'boolean' },
    updatedBy: { type: 'string' }, updatedByName: { type: 'string' }, updatedAt: { type: 'string' },
  },
} as const;

export const robotsResponse = { type: 'array', items: robotResponse } as const;

export const noticesBody = {
  type: 'object',
  additionalProperties: false,
  required: ['channels'],
  properties: {
    channels: { type: 'array', maxItems: NOTICE_CHANNELS.length, items: { type: 'string', enum: [...NOTICE_CHANNELS] } },
    quiet: { type: 'object', additionalProperties: false, required: ['start', 'end'], properties: { start: hhmm, end: hhmm }, description: 'no chat message in these hours (the notice goes by e-mail); may run over midnight' },
  },
} as const;

export interface NoticesBody { channels: ('email' | 'dingtalk' | 'wecom')[]; quiet?: { start: string; end: string } }

const reachability = { type: 'object', properties: { available: { type: 'boolean' }, scope: { type: 'string', enum: ['department', 'unit'] } } } as const;
const named = { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } } as const;

export const noticesResponse = {
  type: 'object',
  properties: {
    channels: { type: 'array', items: { type: 'string' } },
    quiet: { type: 'object', properties: { start: { type: 'string' }, end: { type: 'string' } } },
    robots: { type: 'object', properties: { dingtalk: reachability, wecom: reachability }, description: 'whether a robot of one\'s department (or else unit) reaches one by each chat channel; without one, e-mail is used' },
    unit: named, department: named,
  },
} as const;

const reachLine = {
  type: 'object',
  properties: { channel: { type: 'string' }, sent: { type: 'integer' }, refused: { type: 'integer' }, pending: { type: 'integer' }, lastSentAt: { type: 'string' } },
} as const;

export const reachResponse = {
  type: 'object',
  properties: {
    cycleId: { type: 'string' },
    departments: {
      type: 'array',
      items: {
        type: 'object',
        properties: {
          id: { type: 'string' }, name: { type: 'string' },
          people: { type: 'array', items: { type: 'object', properties: { personId: { type: 'string' }, name: { type: 'string' }, channels: { type: 'array', items: reachLine } } } },
        },
      },
    },
  },
} as const;
