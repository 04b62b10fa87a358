import 'reflect-metadata';
import { DataSource } from 'typeorm';
import { loadConfig } from '../../../config/app-config';
import { dataSourceOptions } from '../../../database/data-source-options';
import { rotateCredentials } from './rotate-credentials';
import { SecretCipher } from './secret-cipher';

// `npm run credentials:rotate`: after moving the old key to CREDENTIALS_PREVIOUS_KEYS and setting a new CREDENTIALS_KEY.
async function main(): Promise<void> {
  const config = loadConfig();
  const dataSource = await new DataSource(dataSourceOptions(config)).initialize();
  try {
    const result = await rotateCredentials(
      dataSource,
      new SecretCipher(config.credentialsKey, config.credentialsPreviousKeys),
    );
    process.stdout.write(
      `Re-encrypted ${result.rotated} of ${result.total} Personio secrets under key ${config.credentialsKey.id}\n`,
    );
  } finally {
    await dataSource.destroy();
  }
}

main().catch((error: Error) => {
  process.stderr.write(`credentials:rotate failed: ${error.message}\n`);
  process.exit(1);
});
