import { Transform } from 'class-transformer';
import { BadRequestException, Param, ParseUUIDPipe } from '@nestjs/common';
import { Temporal } from 'temporal-polyfill';
import { registerDecorator, ValidateIf, ValidationArguments, ValidationOptions } from 'class-validator';

const ISO_DATE = /^\d{4}-\d{2}-\d{2}$/;

/** What awork stores and both databases accept; outside it a date is a typo or an attack. */
export const FIRST_CALENDAR_DATE = '1900-01-01';
export const LAST_CALENDAR_DATE = '2999-12-31';

export function isCalendarDate(value: unknown): value is string {
  if (typeof value !== 'string' || !ISO_DATE.test(value)) return false;
  if (value < FIRST_CALENDAR_DATE || value > LAST_CALENDAR_DATE) return false;
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

/** A class-validator rule as a property decorator whose message names the property. */
function propertyRule(
  name: string,
  message: (propertyName: string) => string,
  validate: (value: unknown, args: ValidationArguments) => boolean,
  options?: ValidationOptions,
): PropertyDecorator {
  return (target, propertyKey) => {
    const propertyName = String(propertyKey);
    registerDecorator({
      name,
      target: target.constructor,
      propertyName,
      options: { message: message(propertyName), ...options },
      validator: { validate },
    });
  };
}

/** A real calendar date written as `YYYY-MM-DD` in years 1900–2999 (2026-02-30 and 0000-01-01 are refused). */
export const IsCalendarDate = (options?: ValidationOptions) =>
  propertyRule(
    'isCalendarDate',
    (property) =>
      `${property} must be a calendar date formatted YYYY-MM-DD between ${FIRST_CALENDAR_DATE} and ${LAST_CALENDAR_DATE}`,
    isCalendarDate,
    options,
  );

export const IsIanaTimeZone = (options?: ValidationOptions) =>
  propertyRule(
    'isIanaTimeZone',
    (property) => `${property} must be an IANA time zone such as Europe/Berlin`,
    isIanaTimeZone,
    options,
  );

/** The date must not be before the date in `otherProperty` (when both are valid dates). */
export const IsNotBefore = (otherProperty: string, options?: ValidationOptions) =>
  propertyRule(
    'isNotBefore',
    (property) => `${property} must not be before ${otherProperty}`,
    (value, args) => {
      const other = (args.object as Record<string, unknown>)[otherProperty];
      return !isCalendarDate(value) || !isCalendarDate(other) || value >= other;
    },
    options,
  );

/** A UUID route parameter whose error names the parameter. */
export const UuidParam = (name: string) =>
  Param(name, new ParseUUIDPipe({ exceptionFactory: () => new BadRequestException(`${name} must be a UUID`) }));

/** Surrounding white space is noise in names and e-mails: drop it before validating. */
export const Trim = () => Transform(({ value }) => (typeof value === 'string' ? value.trim() : value));

/**
 * Optional, but when given it must be a real value: `null` is validated like any wrong value and
 * refused with the field's own message (class-validator's IsOptional would wave it through).
 */
export const OptionalNotNull = () => ValidateIf((_object: object, value: unknown) => value !== undefined);
