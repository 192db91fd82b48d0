import { campaignsRequest, DEFAULT_CAMPAIGN_FILTER } from './insight-routes.ts';
import { DEFAULT_FILTER, parseRoute, routeHash } from './routes.ts';
import type { Route } from './routes.ts';

describe('the addresses of the summary and campaigns pages', () => {
  it('gives back the route it was made from', () => {
    const routes: Route[] = [
      { page: 'summary', from: '2026-11-28', to: '2026-11-29', filter: DEFAULT_FILTER },
      { page: 'summary', from: null, to: null, filter: DEFAULT_FILTER },
      { page: 'campaign', id: '42', filter: DEFAULT_FILTER },
      {
        page: 'campaigns',
        campaigns: {
          statuses: ['open', 'merged'],
          severities: ['high'],
          carrier: 'mobifone',
          sort: 'largest',
        },
        filter: DEFAULT_FILTER,
      },
      { page: 'campaigns', campaigns: DEFAULT_CAMPAIGN_FILTER, filter: DEFAULT_FILTER },
    ];
    for (const route of routes) expect(parseRoute(routeHash(route))).toEqual(route);
    expect(routeHash(routes[0])).toBe('#/summary?from=2026-11-28&to=2026-11-29');
    expect(routeHash(routes[3])).toBe(
      '#/campaigns?status=open%2Cmerged&severity=high&carrier=mobifone&sort=largest',
    );
  });

  it('ignores what a hand-edited link gets wrong, and never reads a campaign filter as the queue’s', () => {
    expect(parseRoute('#/summary?from=2026-02-30&to=yesterday')).toEqual({
      page: 'summary',
      from: null,
      to: null,
      filter: DEFAULT_FILTER,
    });
    const listed = parseRoute('#/campaigns?status=actioned,bogus&carrier=att&sort=random&severity=low');
    expect(listed).toEqual({
      page: 'campaigns',
      campaigns: { statuses: ['actioned'], severities: ['low'], carrier: null, sort: 'newest' },
      filter: DEFAULT_FILTER,
    });
    expect(parseRoute('#/campaigns/0')).toMatchObject({ page: 'queue' });
    expect(parseRoute('#/campaigns/12abc')).toMatchObject({ page: 'queue' });
  });

  it('asks the API for the filter and sort as given', () => {
    expect(
      campaignsRequest(
        { statuses: [], severities: ['high', 'low'], carrier: 'viettel', sort: 'severity' },
        'abc',
        50,
      ),
    ).toBe('/api/v1/campaigns?severity=high%2Clow&carrier=viettel&sort=severity&limit=50&cursor=abc');
  });
});
