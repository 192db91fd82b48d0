import { DataSource } from 'typeorm';
import { CampaignsRepository } from '@abuse-monitor/persistence';
import { createTestDatabase, openDataSource, TestDatabase } from './support/test-database';

/**
 * The numbers the campaigns job looks at beside the changed ones (CampaignsRepository.neighbours),
 * against the real schema: a stored number sharing a MinHash band key with a changed one is found
 * through number_fingerprints (decision 0063), with no report in common and no common block.
 */
describe("the campaigns job's neighbours of the changed numbers", () => {
  let db: TestDatabase;
  let dataSource: DataSource;
  let repository: CampaignsRepository;

  const store = (number: string, bandKeys: string[]) =>
    dataSource.query(
      `INSERT INTO number_fingerprints (reported_number, fingerprints, band_keys) VALUES ($1, '{}', $2)`,
      [number, bandKeys],
    );

  beforeAll(async () => {
    db = await createTestDatabase('campaignneighbours');
    dataSource = await openDataSource(db.url);
    repository = new CampaignsRepository(dataSource);
  });
  afterAll(async () => {
    await dataSource.destroy();
    await db.drop();
  });

  it('finds the stored numbers that share a band key with a changed one, and only those', async () => {
    const changed = '+84701234561';
    const sharing = '+84762345672';
    const sharingAnother = '+84773456783';
    const unrelated = '+84784567894';
    await store(changed, ['b00:aaaa', 'b01:bbbb', 'b02:cccc']);
    await store(sharing, ['b01:bbbb', 'b02:zzzz']);
    await store(sharingAnother, ['b00:qqqq', 'b02:cccc']);
    // The same key in another band is another key: bands are compared band by band.
    await store(unrelated, ['b01:aaaa', 'b00:bbbb', 'b03:cccc']);

    const found = await dataSource.transaction((manager) =>
      repository.neighbours(manager, [changed], [], new Date(0), 100),
    );
    expect(found.filter((number) => number !== changed).sort()).toEqual([sharing, sharingAnother]);
  });
});
