// Loaded once and shared by every workflow (worker/create-worker.ts WORKFLOW_BUNDLE_OPTIONS says why).
// luxon declares itself free of side effects, so webpack drops a bare `require('luxon')` from the
// bundler's preload list as unused; a module of ours that imports it keeps it there.
export { DateTime } from 'luxon';
