// Beside the configuration page's test: the unit project runs apps/, libs/ and deploy/ only.
import { readFileSync } from 'node:fs';
import {
  DECISION_INDEX,
  decisionIndex,
  decisionRecord,
  decisionRecords,
} from '../../../scripts/decision-index';

describe('docs/decisions/README.md', () => {
  it('is the index of the records as they are (run npm run docs:decisions when this fails)', () => {
    expect(readFileSync(DECISION_INDEX, 'utf8')).toBe(decisionIndex());
  });

  it('lists every record, each with a status and a date', () => {
    const records = decisionRecords();
    expect(records.length).toBeGreaterThanOrEqual(36);
    const index = readFileSync(DECISION_INDEX, 'utf8');
    for (const record of records) {
      expect(record.date).toMatch(/^\d{4}-\d{2}-\d{2}$/);
      expect(index).toContain(`](${record.file}) `);
    }
  });

  it('refuses a record without its Status line', () => {
    const text = '# 0099 Something\n\n## Context\n\nWhy.\n';
    expect(() => decisionRecord('0099-something.md', text)).toThrow(/needs a paragraph "Status:/);
    expect(
      decisionRecord('0099-something.md', text.replace('\n\n', '\n\nStatus: accepted, 2026-12-03.\n\n')),
    ).toEqual({
      file: '0099-something.md',
      number: '0099',
      title: 'Something',
      status: 'accepted',
      date: '2026-12-03',
      note: '',
    });
  });
});
