import * as domain from '@abuse-monitor/domain';
import { FLAG_SORTS as API_SORTS } from '../../src/flags/flag-queries';
import { FLAG_SORTS, FLAG_STATUSES, label, PERMISSIONS, SEVERITIES, TAKEN_ACTIONS } from './vocabulary.ts';

describe("the console's vocabulary", () => {
  it('matches the lists of the domain and the API it mirrors', () => {
    expect(FLAG_STATUSES).toEqual(domain.FLAG_STATUSES);
    expect(SEVERITIES).toEqual(domain.SEVERITIES);
    expect(TAKEN_ACTIONS).toEqual(domain.TAKEN_ACTIONS);
    expect(PERMISSIONS).toEqual(domain.PERMISSIONS);
    expect(FLAG_SORTS).toEqual(API_SORTS);
  });

  it('has a label for every status, severity, action, recommendation and change, and shows unknown codes readably', () => {
    for (const code of [
      ...FLAG_STATUSES,
      ...SEVERITIES,
      ...TAKEN_ACTIONS,
      ...domain.RECOMMENDED_ACTIONS,
      ...domain.FLAG_CHANGES,
    ])
      expect(label(code)).not.toContain('_');
    expect(label('block_both')).toBe('Block both ways');
    expect(label('debt_collection')).toBe('debt collection');
  });
});
