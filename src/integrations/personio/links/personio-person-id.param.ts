import { BadRequestException, Param, PipeTransform } from '@nestjs/common';

/** Personio person ids are numeric strings today; this leaves room for other ids, not for paths or NULs. */
const PERSON_ID = /^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$/;

export function isPersonioPersonId(value: unknown): value is string {
  return typeof value === 'string' && PERSON_ID.test(value);
}

class PersonioPersonIdPipe implements PipeTransform<string, string> {
  transform(value: string): string {
    if (!isPersonioPersonId(value))
      throw new BadRequestException(
        "personioPersonId must be 1 to 128 letters, digits, '.', '_' or '-' (a Personio person id such as 3003)",
      );
    return value;
  }
}

/** The `personioPersonId` route parameter, checked before the handler reads anything. */
export const PersonioPersonIdParam = () => Param('personioPersonId', new PersonioPersonIdPipe());
