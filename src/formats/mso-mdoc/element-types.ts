import { DateOnly } from '@owf/mdoc';
import { z } from 'zod';
import type { ClaimInput } from '../format.ts';
import type { MdocElementType } from './configuration.ts';

// Each element type has a JSON form (what testers type, checked by zod) and its CBOR encoding.
// Dates become the tagged values of ISO/IEC 18013-5 §7.2.1: @owf/mdoc registers DateOnly as
// tag 1004 (full-date, RFC 8943) and Date as tag 0 (tdate, seconds and "Z", no fractions).

const FULL_DATE = /^\d{4}-\d{2}-\d{2}$/;
const TDATE = /^\d{4}-\d{2}-\d{2}T\d{2}:\d{2}:\d{2}Z$/;
const BASE64 = /^(?:[A-Za-z0-9+/]{4})*(?:[A-Za-z0-9+/]{2}==|[A-Za-z0-9+/]{3}=)?$/;
const FULL_DATE_MESSAGE = 'must be a date YYYY-MM-DD';
const TDATE_MESSAGE = 'must be a date-time YYYY-MM-DDThh:mm:ssZ (RFC 3339, UTC, no fractions)';

const isCalendarDate = (value: string): boolean => {
  const day = new Date(`${value.slice(0, 10)}T00:00:00Z`);
  return !Number.isNaN(day.getTime()) && day.toISOString().startsWith(value.slice(0, 10));
};
const isInstant = (value: string): boolean => {
  const instant = new Date(value);
  return !Number.isNaN(instant.getTime()) && instant.toISOString() === value.replace('Z', '.000Z');
};
const bytesOf = (base64: string): Uint8Array => new Uint8Array(Buffer.from(base64, 'base64'));

/** The media type of JPEG (SOI FF D8 FF) or JPEG 2000 (signature box, or a raw FF 4F FF 51 codestream) bytes. */
export function imageMediaType(bytes: Uint8Array): 'image/jpeg' | 'image/jp2' | undefined {
  const starts = (...prefix: number[]) => prefix.every((byte, i) => bytes[i] === byte);
  if (starts(0xff, 0xd8, 0xff)) return 'image/jpeg';
  if (starts(0x00, 0x00, 0x00, 0x0c, 0x6a, 0x50, 0x20, 0x20) || starts(0xff, 0x4f, 0xff, 0x51)) return 'image/jp2';
  return undefined;
}

/** A string schema that reports only the first failed check, so a value gets one clear message. */
const checkedString = (typeMessage: string, checks: ReadonlyArray<readonly [(value: string) => boolean, string]>) =>
  z.string({ invalid_type_error: typeMessage }).superRefine((value, ctx) => {
    const failed = checks.find(([holds]) => !holds(value));
    if (failed) ctx.addIssue({ code: z.ZodIssueCode.custom, message: failed[1] });
  });

// PID Rulebook §3.1.2 and ISO 18013-5 Table 5: text elements hold at most 150 characters.
const text = (required = 'is mandatory') =>
  z
    .string({ required_error: required, invalid_type_error: 'must be a text string' })
    .min(1, 'must not be empty')
    .max(150, 'must be at most 150 characters');
const countryCode = z
  .string({ invalid_type_error: 'must be a text string' })
  .regex(/^[A-Z]{2}$/, 'must be an ISO 3166-1 alpha-2 country code');
const fullDate = checkedString(FULL_DATE_MESSAGE, [
  [(value) => FULL_DATE.test(value), FULL_DATE_MESSAGE],
  [isCalendarDate, 'is not a calendar date'],
]);

const drivingPrivilege = z
  .object({
    vehicle_category_code: text('is mandatory in every driving privilege (ISO 18013-5 §7.2.4)'),
    issue_date: fullDate.optional(),
    expiry_date: fullDate.optional(),
    codes: z
      .array(z.object({ code: text('is mandatory in every code'), sign: text().optional(), value: text().optional() }).strict())
      .min(1)
      .optional(),
  })
  .strict();
type DrivingPrivilege = z.infer<typeof drivingPrivilege>;
const PRIVILEGE_DATES = new Set(['issue_date', 'expiry_date']);

interface ElementType {
  schema: z.ZodTypeAny;
  /** The CBOR value for a JSON value that passed `schema`. */
  toCbor: (value: never) => unknown;
  /** How the Supply Claims form asks for it. */
  input: Pick<ClaimInput, 'kind' | 'hint'>;
}

const asIs = (value: unknown) => value;

export const elementTypes: Record<MdocElementType, ElementType> = {
  tstr: { schema: text(), toCbor: asIs, input: { kind: 'text' } },
  uint: {
    schema: z
      .number({ invalid_type_error: 'must be a number' })
      .int('must be an integer')
      .nonnegative('must be an unsigned integer'),
    toCbor: asIs,
    input: { kind: 'integer' },
  },
  bool: {
    schema: z.boolean({ invalid_type_error: 'must be true or false' }),
    toCbor: asIs,
    input: { kind: 'checkbox' },
  },
  image: {
    schema: checkedString('must be the image bytes as base64', [
      [(value) => value.length > 0 && BASE64.test(value), 'must be base64 (RFC 4648 §4) of the image bytes'],
      [(value) => imageMediaType(bytesOf(value)) !== undefined, 'must be a JPEG or JPEG 2000 image (ISO 18013-5 §7.2.2)'],
    ]),
    toCbor: (value: string) => bytesOf(value),
    input: { kind: 'image', hint: 'JPEG or JPEG 2000 bytes as base64' },
  },
  'full-date': { schema: fullDate, toCbor: (value: string) => new DateOnly(value), input: { kind: 'date' } },
  tdate: {
    schema: checkedString(TDATE_MESSAGE, [
      [(value) => TDATE.test(value), TDATE_MESSAGE],
      [isInstant, 'is not a real date and time'],
    ]),
    toCbor: (value: string) => new Date(value),
    input: { kind: 'text', hint: 'YYYY-MM-DDThh:mm:ssZ' },
  },
  nationalities: {
    schema: z
      .array(countryCode, { invalid_type_error: 'must be an array of country codes' })
      .min(1, 'must name at least one nationality'),
    toCbor: asIs,
    input: { kind: 'list', hint: 'comma-separated ISO 3166-1 alpha-2 codes' },
  },
  place_of_birth: {
    schema: z
      .object(
        { country: countryCode.optional(), region: text().optional(), locality: text().optional() },
        { invalid_type_error: 'must be an object' },
      )
      .strict()
      .refine((place) => Object.keys(place).length > 0, 'must contain country, region or locality (PID Rulebook §3.1.4)'),
    toCbor: asIs,
    input: { kind: 'json', hint: 'JSON: {"country", "region", "locality"}, at least one' },
  },
  driving_privileges: {
    schema: z
      .array(drivingPrivilege, { invalid_type_error: 'must be an array of driving privileges' })
      .min(1, 'must hold at least one driving privilege'),
    toCbor: (privileges: DrivingPrivilege[]) =>
      privileges.map((privilege) =>
        Object.fromEntries(
          Object.entries(privilege).map(([member, value]) => [
            member,
            PRIVILEGE_DATES.has(member) ? new DateOnly(value as string) : value,
          ]),
        ),
      ),
    input: { kind: 'json', hint: 'JSON: [{"vehicle_category_code", "issue_date", "expiry_date", "codes"}]' },
  },
};

/** Elements the configuration does not define are issued as they are: text, numbers and booleans. */
export const extraElementSchema = z.union([z.string(), z.number(), z.boolean()], {
  errorMap: () => ({ message: 'an element outside the configuration must be a string, number or boolean' }),
});
