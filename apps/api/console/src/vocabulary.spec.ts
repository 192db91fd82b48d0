import * as domain from '@abuse-monitor/domain';
import { APPEAL_CHANNELS, APPEAL_STATUSES } from './appeal-view.ts';
import { FLAG_SORTS as API_SORTS } from '../../../../libs/persistence/src/repositories/flag-queue';
import { CAMPAIGN_EVENT_TYPES, CHANNELS } from '@abuse-monitor/messaging';
import { CAMPAIGN_SORTS as API_CAMPAIGN_SORTS } from '../../../../libs/persistence/src/repositories/campaigns.repository';
import { CAMPAIGN_SORTS as CAMPAIGN_SORT_CODES, CAMPAIGN_STATUSES, CARRIER_CODES } from './insight-routes.ts';
import {
  DECISION_KINDS,
  FLAG_DECISIONS,
  FLAG_SORTS,
  FLAG_STATUSES,
  label,
  LABELS,
  PERMISSIONS,
  SEVERITIES,
  TAKEN_ACTIONS,
} from './vocabulary.ts';

describe("the console's vocabulary", () => {
  it('matches the lists of the domain and the API it mirrors', () => {
    expect(FLAG_STATUSES).toEqual(domain.FLAG_STATUSES);
    expect(SEVERITIES).toEqual(domain.SEVERITIES);
    expect(TAKEN_ACTIONS).toEqual(domain.TAKEN_ACTIONS);
    expect(PERMISSIONS).toEqual(domain.PERMISSIONS);
    expect(FLAG_SORTS).toEqual(API_SORTS);
    expect(FLAG_DECISIONS).toEqual(domain.FLAG_DECISIONS);
    expect(DECISION_KINDS).toEqual(domain.DECISION_KINDS);
    expect(APPEAL_STATUSES).toEqual(domain.APPEAL_STATUSES);
    expect(APPEAL_CHANNELS).toEqual(domain.APPEAL_CHANNELS);
    expect(CAMPAIGN_STATUSES).toEqual(domain.CAMPAIGN_STATUSES);
    expect(CARRIER_CODES).toEqual(domain.CARRIERS);
    expect(CAMPAIGN_SORT_CODES).toEqual(API_CAMPAIGN_SORTS);
  });

  it('has a label of its own for every code the API can send', () => {
    const codes = [
      ...FLAG_STATUSES,
      ...SEVERITIES,
      ...TAKEN_ACTIONS,
      ...FLAG_SORTS,
      ...domain.FLAG_RECOMMENDATIONS,
      ...domain.FLAG_CHANGES,
      ...domain.REPORT_KINDS,
      ...domain.CATEGORIES,
      ...domain.NUMBER_TYPES,
      ...domain.CARRIERS,
      ...CHANNELS,
      ...Object.values(domain.DEFAULT_DECISION_REASONS).flat(),
      'dismiss',
      'reopen',
      ...FLAG_DECISIONS,
      ...Object.values(domain.DEFAULT_DECISION_REASONS).flat(),
      'shared_reporters',
      'same_number_block',
      'same_text',
      ...domain.APPEAL_STATUSES,
      ...domain.APPEAL_DECISIONS,
      ...domain.APPEAL_CHANNELS,
      ...CAMPAIGN_STATUSES,
      ...CAMPAIGN_EVENT_TYPES,
      ...CAMPAIGN_SORT_CODES.filter((sort) => sort !== 'largest'),
    ];
    expect(codes.filter((code) => !Object.hasOwn(LABELS, code))).toEqual([]);
    expect(label('block_both')).toBe('Block both ways');
  });

  it('shows a code it does not know readably, and never an inherited property', () => {
    expect(label('brand_new_code')).toBe('brand new code');
    expect(label('constructor')).toBe('constructor');
    expect(label('__proto__')).toBe('  proto  ');
  });
});
