import fc from 'fast-check';
import { DEFAULT_FILTER, DUE_WITHIN, flagsRequest, parseRoute, QueueFilter, routeHash } from './routes.ts';
import { FLAG_SORTS, FLAG_STATUSES, SEVERITIES } from './vocabulary.ts';

const subsetOf = <T>(values: readonly T[]) =>
  fc.subarray([...values]).map((picked) => values.filter((v) => picked.includes(v)));

const filters: fc.Arbitrary<QueueFilter> = fc.record({
  statuses: subsetOf(FLAG_STATUSES),
  severities: subsetOf(SEVERITIES),
  overdueOnly: fc.boolean(),
  mineOnly: fc.boolean(),
  decidedByMe: fc.boolean(),
  coordinatedOnly: fc.boolean(),
  due: fc.constantFrom(null, ...DUE_WITHIN),
  sort: fc.constantFrom(...FLAG_SORTS),
});

describe('console routes', () => {
  it('opens the queue of flags that need a person when the fragment is empty or unknown', () => {
    for (const hash of ['', '#', '#/', '#/nowhere', '#/flags/', '#/flags/abc', '#/flags/0', '#/flags/1/2'])
      expect(parseRoute(hash)).toEqual({ page: 'queue', filter: DEFAULT_FILTER });
  });

  it('reads a flag id, and refuses ids the API would refuse', () => {
    expect(parseRoute('#/flags/42')).toEqual({ page: 'flag', id: '42', filter: DEFAULT_FILTER });
    expect(parseRoute('#/flags/1234567890123456789').page).toBe('queue');
  });

  it('gives back every queue filter, flag and number it writes, the filter kept on each', () => {
    fc.assert(
      fc.property(filters, (filter) => {
        expect(parseRoute(routeHash({ page: 'queue', filter }))).toEqual({ page: 'queue', filter });
      }),
    );
    fc.assert(
      fc.property(fc.bigInt({ min: 1n, max: 999_999_999_999_999_999n }), filters, (id, filter) => {
        const route = { page: 'flag' as const, id: String(id), filter };
        expect(parseRoute(routeHash(route))).toEqual(route);
      }),
    );
    fc.assert(
      fc.property(
        fc.string({ minLength: 1, maxLength: 40 }).filter((s) => s.trim() === s && s !== ''),
        filters,
        (number, filter) => {
          const route = { page: 'number' as const, number, filter };
          expect(parseRoute(routeHash(route))).toEqual(route);
        },
      ),
    );
  });

  it('writes short links in the default queue, and carries any other filter', () => {
    expect(routeHash({ page: 'flag', id: '42', filter: DEFAULT_FILTER })).toBe('#/flags/42');
    expect(routeHash({ page: 'flag', id: '42', filter: { ...DEFAULT_FILTER, severities: ['low'] } })).toBe(
      '#/flags/42?status=open%2Cin_review&severity=low',
    );
    expect(routeHash({ page: 'number', number: '0912 345 678', filter: DEFAULT_FILTER })).toBe(
      '#/numbers/0912%20345%20678',
    );
    expect(parseRoute('#/numbers/%E0%A4%A')).toEqual({
      page: 'number',
      number: '%E0%A4%A',
      filter: DEFAULT_FILTER,
    });
    expect(parseRoute('#/numbers/%20').page).toBe('queue');
    expect(parseRoute(`#/numbers/${'9'.repeat(41)}`).page).toBe('queue');
  });

  it('keeps the team page, "decided by me" and the due-soon view in the address', () => {
    expect(parseRoute('#/team')).toEqual({ page: 'team', filter: DEFAULT_FILTER });
    const mine = { ...DEFAULT_FILTER, statuses: [], decidedByMe: true, sort: 'newest' as const };
    expect(routeHash({ page: 'queue', filter: mine })).toBe('#/queue?status=&decided=me&sort=newest');
    expect(parseRoute('#/queue?status=&decided=me&sort=newest')).toEqual({ page: 'queue', filter: mine });
    expect(parseRoute('#/queue?due=1h').filter.due).toBe('1h');
    expect(parseRoute('#/queue?due=2h').filter.due).toBeNull();
    const url = new URL(flagsRequest(mine, 'lan', null, 50), 'http://x');
    expect(url.searchParams.get('decidedBy')).toBe('lan');
    expect(url.searchParams.has('assignee')).toBe(false);
  });

  it('keeps the "possibly coordinated" filter in the address and asks the API for it', () => {
    const coordinated = { ...DEFAULT_FILTER, coordinatedOnly: true };
    expect(routeHash({ page: 'queue', filter: coordinated })).toBe(
      '#/queue?status=open%2Cin_review&coordinated=true',
    );
    expect(parseRoute('#/queue?coordinated=true').filter.coordinatedOnly).toBe(true);
    expect(
      new URL(flagsRequest(coordinated, 'lan', null, 50), 'http://x').searchParams.get('coordinated'),
    ).toBe('true');
    expect(
      new URL(flagsRequest(DEFAULT_FILTER, 'lan', null, 50), 'http://x').searchParams.has('coordinated'),
    ).toBe(false);
  });

  it('drops values the API does not know from a hand-edited link, and keeps their order canonical', () => {
    expect(parseRoute('#/queue?status=expired,bogus,open,open&severity=HIGH,high&sort=sideways')).toEqual({
      page: 'queue',
      filter: { ...DEFAULT_FILTER, statuses: ['open', 'expired'], severities: ['high'] },
    });
  });

  it('never crashes on any fragment', () => {
    fc.assert(
      fc.property(fc.string(), (hash) => {
        expect(['queue', 'flag', 'number', 'team']).toContain(parseRoute(hash).page);
      }),
    );
  });

  it('asks the API for the filter, with "mine" as the caller by name, and the cursor when paging', () => {
    const filter: QueueFilter = {
      ...DEFAULT_FILTER,
      severities: ['high'],
      overdueOnly: true,
      mineOnly: true,
    };
    const url = new URL(flagsRequest(filter, 'analyst a&b', 'c/ur+sor=', 50), 'http://x');
    expect(url.pathname).toBe('/api/v1/flags');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      status: 'open,in_review',
      severity: 'high',
      overdue: 'true',
      assignee: 'analyst a&b',
      sort: 'urgency',
      limit: '50',
      cursor: 'c/ur+sor=',
    });
    const everything = new URL(flagsRequest({ ...DEFAULT_FILTER, statuses: [] }, 'me', null, 10), 'http://x');
    expect(everything.searchParams.has('status')).toBe(false);
    // The API has no urgency order for decided flags: those are asked for most severe first.
    expect(everything.searchParams.get('sort')).toBe('severity');
    const decided = new URL(
      flagsRequest({ ...DEFAULT_FILTER, statuses: ['actioned'] }, 'me', null, 10),
      'http://x',
    );
    expect(decided.searchParams.get('sort')).toBe('severity');
    expect(everything.searchParams.has('cursor')).toBe(false);
  });
});
