export { hashToken, TokenNameTaken, TokensRepository } from './tokens.repository';
export type { ApiToken } from './tokens.repository';
export { csrfTokenOf, hashSessionSecret, SessionsRepository } from './sessions.repository';
export type { ApiSession } from './sessions.repository';
export { AUDIT_TARGET_TYPES, AuditLogRepository } from './audit-log.repository';
export type {
  AuditActor,
  AuditEntry,
  AuditQuery,
  AuditRecord,
  AuditTargetType,
} from './audit-log.repository';
export { AgentSubmissionsRepository, SUBMISSION_STATUSES } from './agent-submissions.repository';
export type {
  Admission,
  AgentSubmission,
  NewSubmission,
  SubmissionStatus,
} from './agent-submissions.repository';
