import { Transform } from 'class-transformer';
import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { registerDecorator, ValidationArguments, ValidationOptions } from 'class-validator';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  try {
    return Temporal.PlainDate.from(value, { overflow: 'reject' }).toString() === value;
  } catch {
    return false;
  }
}

export function isIanaTimeZone(value: unknown): value is string {
  if (typeof value !== 'string' || value.length === 0 || value.length > 64) return false;
  try {
    Temporal.Now.plainDateISO(value);
    return true;
  } catch {
    return false;
  }
}

/** A real calendar date written as `YYYY-MM-DD` (2026-02-30 is refused). */
export function IsCalendarDate(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isCalendarDate',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be a calendar date formatted YYYY-MM-DD`, ...options },
      validator: { validate: isCalendarDate },
    });
}

export function IsIanaTimeZone(options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isIanaTimeZone',
      target: target.constructor,
      propertyName,
      options: { message: `${propertyName} must be an IANA time zone such as Europe/Berlin`, ...options },
      validator: { validate: isIanaTimeZone },
    });
}

/** The date must not be before the date in `otherProperty` (when both are valid dates). */
export function IsNotBefore(otherProperty: string, options?: ValidationOptions) {
  return (target: object, propertyName: string) =>
    registerDecorator({
      name: 'isNotBefore',
      target: target.constructor,
      propertyName,
      constraints: [otherProperty],
      options: { message: `${propertyName} must not be before ${otherProperty}`, ...options },
      validator: {
        validate(value: unknown, args: ValidationArguments) {
          const other = (args.object as Record<string, unknown>)[otherProperty];
          if (!isCalendarDate(value) || !isCalendarDate(other)) return true;
          return value >= other;
        },
      },
    });
}

/** A UUID route parameter whose error names the parameter. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) }));

/** Surrounding white space is noise in names and e-mails: drop it before validating. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));
