import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { dataSourceOptions } from './data-source-options';

// Used only by the TypeORM CLI (npm run migration:run / :revert / :generate), as the schema's owner.
const url = process.env.DATABASE_OWNER_URL?.trim() || 'postgres://postgres@127.0.0.1:5432/abuse_monitor';

export default new DataSource(dataSourceOptions({ url, applicationName: 'abuse-monitor-migrations' }));
