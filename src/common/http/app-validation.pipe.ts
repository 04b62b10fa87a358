import { ArgumentMetadata, BadRequestException, Injectable, ValidationPipe } from '@nestjs/common';

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/;

/**
 * The global ValidationPipe, plus one rule for every string a client sends (body, query, route
 * parameters; keys and values, however deep): no NUL characters, which PostgreSQL cannot store,
 * and no lone UTF-16 surrogates, which no database stores as sent. Checked before
 * class-transformer, for every field at once, so a field added later needs no decorator.
 */
@Injectable()
export class AppValidationPipe extends ValidationPipe {
  constructor() {
    super({ whitelist: true, forbidNonWhitelisted: true, transform: true });
  }

  override async transform(value: unknown, metadata: ArgumentMetadata): Promise<unknown> {
    if (metadata.type === 'body' || metadata.type === 'query' || metadata.type === 'param') {
      const problems = unsafeText(value, metadata.type === 'param' ? (metadata.data ?? '') : '');
      if (problems.length) throw new BadRequestException(problems);
    }
    return super.transform(value, metadata);
  }
}

/** One message per offending field, named by its path (`admin.email`, `items.0`). Iterative: no recursion on client data. */
export function unsafeText(root: unknown, rootPath = ''): string[] {
  const problems: string[] = [];
  const pending: Array<[unknown, string]> = [[root, rootPath]];
  while (pending.length && problems.length < 20) {
    const [value, path] = pending.pop()!;
    if (typeof value === 'string') {
      const field = path || 'body';
      if (value.includes('\u0000')) problems.push(`${field} must not contain NUL characters`);
      else if (LONE_SURROGATE.test(value))
        problems.push(`${field} must be well-formed Unicode text (it contains a lone UTF-16 surrogate)`);
    } else if (value !== null && typeof value === 'object') {
      for (const [key, child] of Object.entries(value)) {
        const childPath = path ? `${path}.${key}` : key;
        if (key.includes('\u0000') || LONE_SURROGATE.test(key))
          problems.push(`${path || 'body'} has a property name with a NUL character or a lone UTF-16 surrogate`);
        else pending.push([child, childPath]);
      }
    }
  }
  return problems.reverse();
}
