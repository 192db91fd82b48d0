import { Metrics } from '@abuse-monitor/observability';
import { countIntake, IntakeOutcome } from './intake-metrics';

const accepted = (category: string, shortCode = '156'): IntakeOutcome => ({
  channel: 'sms',
  shortCode,
  outcome: 'accepted',
  rejectionReason: null,
  accepted: { kind: 'spam_sms', category, carrier: 'viettel' } as IntakeOutcome['accepted'],
});
const rejected = (reason: string, shortCode: string | null = '5656'): IntakeOutcome => ({
  channel: shortCode === null ? 'hotline' : 'sms',
  shortCode,
  outcome: 'rejected',
  rejectionReason: reason,
  accepted: null,
});

async function series(metrics: Metrics, name: string): Promise<Record<string, number>> {
  const { values } = await metrics.registry.getSingleMetric(name)!.get();
  return Object.fromEntries(
    values.map((v) => [
      Object.entries(v.labels)
        .filter(([label]) => label !== 'app')
        .map(([label, value]) => `${label}=${value}`)
        .join(','),
      v.value,
    ]),
  );
}

describe('countIntake', () => {
  it('counts a batch by its labels, alike outcomes together', async () => {
    const metrics = new Metrics('ingest');
    countIntake(metrics, [
      accepted('impersonation'),
      accepted('impersonation'),
      accepted('advertising'),
      accepted('impersonation', '9199'),
      accepted('a category from a message'),
      rejected('not_a_report'),
      rejected('not_a_report'),
      rejected('invalid_number', null),
    ]);
    countIntake(metrics, [accepted('impersonation')]);

    expect(await series(metrics, 'abuse_monitor_reports_received_total')).toEqual({
      'channel=sms,short_code=156': 5,
      'channel=sms,short_code=other': 1,
      'channel=sms,short_code=5656': 2,
      'channel=hotline,short_code=none': 1,
    });
    expect(await series(metrics, 'abuse_monitor_reports_rejected_total')).toEqual({
      'channel=sms,reason=not_a_report': 2,
      'channel=hotline,reason=invalid_number': 1,
    });
    expect(await series(metrics, 'abuse_monitor_reports_accepted_total')).toEqual({
      'channel=sms,kind=spam_sms,category=impersonation,carrier=viettel': 4,
      'channel=sms,kind=spam_sms,category=advertising,carrier=viettel': 1,
      'channel=sms,kind=spam_sms,category=other,carrier=viettel': 1,
    });
  });

  it('counts nothing for an empty batch', async () => {
    const metrics = new Metrics('ingest');
    countIntake(metrics, []);
    expect(await series(metrics, 'abuse_monitor_reports_received_total')).toEqual({});
  });
});
