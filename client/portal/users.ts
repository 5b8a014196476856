// The portal's accounts live in the application database (store/accounts.ts); the portal's modules
// import the types from here.
export { AccountConflict, type Account, type AccountStore } from '../../store/accounts.js';
