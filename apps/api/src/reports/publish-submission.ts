import { Publisher, TopicNames } from '@abuse-monitor/messaging';
import { withTimeout } from '@abuse-monitor/runtime';
import { ApiProblem } from '../http/problem';

const PUBLISH_DEADLINE_MS = 10_000;

/** Publishes one submission on reports.submitted, within a deadline; the key makes a retry harmless. */
export async function publishSubmission(
  publisher: Publisher,
  topics: TopicNames,
  key: string,
  submission: object,
): Promise<void> {
  const deadline = Date.now() + PUBLISH_DEADLINE_MS;
  const published = publisher.send(
    topics.submitted,
    [{ key, value: JSON.stringify(submission) }],
    () => Date.now() < deadline,
  );
  try {
    // A publish finishing after the client gave up is harmless: the key makes it one report.
    await withTimeout(published, PUBLISH_DEADLINE_MS, 'publishing the report');
  } catch {
    throw new ApiProblem('unavailable', 'the broker did not take the report in time; retry with the same key');
  }
}
