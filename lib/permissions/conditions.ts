// The optional conditions on one line of an agent's written list, stored in Permission.conditions:
//   resource  a glob over the request's resource ("tickets/*": * stays in one segment, ** crosses)
//   params    limits per parameter: { min, max } for numbers, { oneOf } for strings,
//             { domains } for an e-mail address or URL whose host must be one of them (or below)
//   window    weekdays and a time of day, in an IANA time zone; it must end after it starts
// This zod schema is the one contract for the console, the import format and the engine.
import { z } from "zod";

export const WEEKDAYS = ["mon", "tue", "wed", "thu", "fri", "sat", "sun"] as const;
export type Weekday = (typeof WEEKDAYS)[number];

const paramName = z.string().regex(/^[A-Za-z_][A-Za-z0-9_.-]{0,63}$/, "Use a parameter name like amount or recipient.to");
const domain = z
  .string()
  .trim()
  .toLowerCase()
  .regex(/^(?=.{1,253}$)([a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z]{2,63}$/, "Use a domain like example.com");
const time = z.string().regex(/^([01]\d|2[0-3]):[0-5]\d$/, "Use a 24-hour time like 08:00");

function isTimeZone(value: string): boolean {
  try {
    new Intl.DateTimeFormat("en-GB", { timeZone: value });
    return true;
  } catch {
    return false;
  }
}

export const numberLimitSchema = z
  .strictObject({ min: z.number().finite().optional(), max: z.number().finite().optional() })
  .refine((limit) => limit.min !== undefined || limit.max !== undefined, "Give a minimum, a maximum or both")
  .refine((limit) => limit.min === undefined || limit.max === undefined || limit.min <= limit.max, "The minimum must not exceed the maximum");
export const oneOfLimitSchema = z.strictObject({ oneOf: z.array(z.string().min(1).max(256)).min(1).max(100) });
export const domainsLimitSchema = z.strictObject({ domains: z.array(domain).min(1).max(100) });
export const paramLimitSchema = z.union([numberLimitSchema, oneOfLimitSchema, domainsLimitSchema]);

export const windowSchema = z
  .strictObject({
    days: z.array(z.enum(WEEKDAYS)).min(1, "Pick at least one day").max(7).default([...WEEKDAYS]),
    from: time,
    to: time,
    tz: z.string().max(64).refine(isTimeZone, "Use an IANA time zone like UTC or Europe/Berlin").default("UTC"),
  })
  .refine((window) => window.from < window.to, { message: "The window must end after it starts", path: ["to"] });

export const conditionsSchema = z.strictObject({
  resource: z.string().trim().min(1).max(512).optional(),
  params: z.record(paramName, paramLimitSchema).optional(),
  window: windowSchema.optional(),
});

export type ParamLimit = z.output<typeof paramLimitSchema>;
export type TimeWindow = z.output<typeof windowSchema>;
export type Conditions = z.output<typeof conditionsSchema>;
