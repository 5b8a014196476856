// JSON schemas of sign-in and the account, published in the OpenAPI document.
import { PASSWORD_MAX, PASSWORD_MIN } from '../../portal/password.js';

export const linkBody = {
  type: 'object', additionalProperties: false, required: ['login'],
  properties: { login: { type: 'string', minLength: 1, maxLength: 200, description: 'person id or e-mail' } },
} as const;

export const consumeBody = {
  type: 'object', additionalProperties: false, required: ['token'],
  properties: { token: { type: 'string', minLength: 20, maxLength: 200 } },
} as const;

export const passwordSignInBody = {
  type: 'object', additionalProperties: false, required: ['login', 'password'],
  properties: { login: { type: 'string', minLength: 1, maxLength: 200 }, password: { type: 'string', minLength: 1, maxLength: PASSWORD_MAX } },
} as const;

export const setPasswordBody = {
  type: 'object', additionalProperties: false, required: ['password'],
  properties: {
    password: { type: 'string', minLength: PASSWORD_MIN, maxLength: PASSWORD_MAX },
    current: { type: 'string', maxLength: PASSWORD_MAX, description: 'needed when signed in by password' },
  },
} as const;

export const sessionResponse = {
  type: 'object',
  properties: {
    user: { type: 'object', properties: { id: { type: 'string' }, name: { type: 'string' } } },
    token: { type: 'string', description: 'the session, also usable as Authorization: Bearer <token>' },
    expiresAt: { type: 'string' },
    csrfToken: { type: 'string', description: 'for x-csrf-token with the cookie (client/api/plugins/csrf.ts); not needed with the bearer token' },
  },
} as const;
