export { evaluationCycle } from './cycle.js';
export { deliverableWorkflow } from './deliverable.js';
export { cityGrading } from './grading.js';
