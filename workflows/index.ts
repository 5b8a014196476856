export { evaluationCycle } from './cycle.js';
export { deliverableWorkflow } from './deliverable.js';
