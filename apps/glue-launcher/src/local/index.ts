export { LocalJobLauncher, type LocalLauncherOptions } from './local-launcher.js';
export { planLocalJob, type LocalJobKind, type LocalJobPlan } from './job-plan.js';
