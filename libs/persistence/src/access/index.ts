export { hashToken, TokenNameTaken, TokenStore } from './token-store';
export type { ApiToken } from './token-store';
export { csrfTokenOf, hashSessionSecret, SessionStore } from './session-store';
export type { ApiSession } from './session-store';
export { AUDIT_TARGET_TYPES, AuditLog } from './audit-log';
export type { AuditActor, AuditEntry, AuditQuery, AuditRecord, AuditTargetType } from './audit-log';
export { AgentSubmissionStore, SUBMISSION_STATUSES } from './agent-submissions';
export type { Admission, AgentSubmission, NewSubmission, SubmissionStatus } from './agent-submissions';
