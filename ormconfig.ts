import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from './src/config/app-config';
import { dataSourceOptions } from './src/database/data-source-options';

// The data source for the TypeORM CLI (`npm run migration:run`), built from the same configuration as the app.
export default new DataSource(dataSourceOptions(loadConfig()));
