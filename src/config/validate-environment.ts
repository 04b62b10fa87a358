import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';
import { EnvironmentVariables, PROBLEM_SEPARATOR } from './environment.schema';

export class ConfigValidationError extends Error {
  constructor(readonly problems: string[]) {
    super(`Invalid configuration:\n  - ${problems.join('\n  - ')}`);
    this.name = 'ConfigValidationError';
  }
}

/**
 * The environment checked against `EnvironmentVariables`, failing fast with every problem listed at
 * once. Same contract as `ConfigModule.forRoot({ validate })`, but called with an explicit env so
 * tests, the bench and the CLIs build apps without touching `process.env`.
 */
export function validateEnvironment(env: Record<string, string | undefined>): EnvironmentVariables {
  const variables = plainToInstance(EnvironmentVariables, env, { excludeExtraneousValues: true });
  const problems = validateSync(variables).flatMap((error) =>
    Object.values(error.constraints ?? {}).flatMap((message) => message.split(PROBLEM_SEPARATOR)),
  );
  if (problems.length > 0) throw new ConfigValidationError(problems);
  return variables;
}
