/** Every topic the service reads or writes, by its domain name. A deployment may prefix them all. */
export const TOPICS = {
  smsRaw: 'reports.sms.raw',
  submitted: 'reports.submitted',
  accepted: 'reports.accepted',
  rejected: 'reports.rejected',
  smsOutbound: 'sms.outbound',
  subscriberFlags: 'subscriber.flags',
  subscriberCampaigns: 'subscriber.campaigns',
  deadLetter: 'reports.deadletter',
} as const;

export type TopicKey = keyof typeof TOPICS;

export type TopicNames = { [K in TopicKey]: string };

export function topicNames(prefix: string): TopicNames {
  const names = {} as TopicNames;
  for (const key of Object.keys(TOPICS) as TopicKey[]) names[key] = `${prefix}${TOPICS[key]}`;
  return names;
}

/**
 * A consumer group of this deployment, prefixed like the topics so that two environments on one
 * cluster never share a group; the transactional ids made from the group follow. With an empty
 * prefix (the default) the group is the configured name, as it was before prefixes applied.
 */
export function groupIdWithPrefix(prefix: string, groupId: string): string {
  return `${prefix}${groupId}`;
}
