import { appealPath, appealsRequest, parseAppealRoute } from './appeal-routes.ts';
import { DEFAULT_FILTER, parseRoute, routeHash } from './routes.ts';

describe('appeal routes', () => {
  it('reads the appeal queue, one appeal and the record page, and writes them back', () => {
    for (const hash of [
      '#/appeals?status=pending',
      '#/appeals?status=all&overdue=true',
      '#/appeals?status=reversed&cursor=eyJkdWVBdCI6IjIwMjYifQ',
      '#/appeals/42',
      '#/appeals/record',
      '#/appeals/record?number=0987+002+001',
    ])
      expect(routeHash(parseRoute(hash))).toBe(hash);
  });

  it('falls back to the pending queue for a status it does not know, and drops a cursor it did not give', () => {
    expect(parseRoute('#/appeals?status=lost&cursor=%3Cscript%3E')).toEqual({
      page: 'appeals',
      query: { status: 'pending', overdueOnly: false, cursor: null },
      filter: DEFAULT_FILTER,
    });
    expect(parseRoute('#/appeals/0').page).toBe('queue');
    expect(parseAppealRoute('/flags', '', DEFAULT_FILTER)).toBeNull();
  });

  it('asks the API for the page the address names', () => {
    const route = parseRoute('#/appeals?status=all&overdue=true&cursor=abc');
    if (route.page !== 'appeals') throw new Error('not the appeal queue');
    expect(appealsRequest(route.query, 25)).toBe('/api/v1/appeals?overdue=true&limit=25&cursor=abc');
    expect(appealPath({ page: 'record-appeal', number: null, filter: DEFAULT_FILTER })).toBe(
      '#/appeals/record',
    );
  });
});
