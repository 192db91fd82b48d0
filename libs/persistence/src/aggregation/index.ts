export { CounterStore } from './counter-store';
export type { CounterUpdate } from './counter-store';
export { FlagStore, flagFromRow } from './flag-store';
export type { FlagChangeToSave } from './flag-store';
export { ReporterStore } from './reporter-store';
export type { ReporterActivity, ReporterUpdate } from './reporter-store';
export { ReportStore } from './report-store';
export type { ReportRow } from './report-store';
export { RuleStore } from './rule-store';
