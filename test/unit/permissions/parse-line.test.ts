// The line as people write it: field-named errors (zod's bare "Invalid input" on a union becomes
// the message of the limit it resembles), and the console form's values round-trip through it.
import { describe, expect, it } from "vitest";
import { AppError } from "@/lib/http/errors";
import { parseLine } from "@/lib/permissions/parse-line";
import { EMPTY_LINE, formValuesFor, lineFromValues, newParamRow } from "@/app/(console)/agents/[slug]/permissions/line-form-values";

function fieldsOf(raw: unknown): Record<string, string> {
  try {
    parseLine(raw);
  } catch (error) {
    expect(error).toBeInstanceOf(AppError);
    return Object.fromEntries(((error as AppError).fields ?? []).map((field) => [field.path, field.message]));
  }
  throw new Error("expected the line to be refused");
}

const base = { action: "crm.contact.read", effect: "allow", justification: "Reads contacts." };

describe("parseLine", () => {
  it.each<[string, Record<string, unknown>, string, RegExp]>([
    ["a bad domain in a domains limit", { conditions: { params: { to: { domains: ["exa mple.com"] } } } }, "conditions.params.to.domains.0", /domain like example.com/],
    ["an empty one-of list", { conditions: { params: { currency: { oneOf: [] } } } }, "conditions.params.currency.oneOf", /./],
    ["a limit of no known kind", { conditions: { params: { amount: { between: [1, 2] } } } }, "conditions.params.amount", /./],
    ["min above max", { conditions: { params: { amount: { min: 5, max: 1 } } } }, "conditions.params.amount", /minimum must not exceed/],
    ["a window ending before it starts", { conditions: { window: { from: "12:00", to: "11:59" } } }, "conditions.window.to", /end after it starts/],
    ["a time that is no time", { conditions: { window: { from: "8am", to: "18:00" } } }, "conditions.window.from", /24-hour time/],
    ["a parameter name with spaces", { conditions: { params: { "the amount": { max: 1 } } } }, "conditions.params.the amount", /./],
  ])("names the field for %s", (_name, extra, path, message) => {
    const fields = fieldsOf({ ...base, ...extra });
    expect(Object.keys(fields)).toContain(path);
    expect(fields[path]).toMatch(message);
  });

  it("drops empty conditions rather than storing them", () => {
    expect(parseLine({ ...base, conditions: {} })).not.toHaveProperty("conditions");
    expect(parseLine({ ...base, conditions: { params: {}, resource: "a/*" } }).conditions).toEqual({ resource: "a/*" });
  });

  it("refuses conditions on a deny line, which always denies", () => {
    expect(fieldsOf({ ...base, effect: "deny", conditions: { resource: "a/*" } })).toHaveProperty("conditions");
    expect(parseLine({ ...base, effect: "deny", conditions: {} }).effect).toBe("deny");
  });
});

describe("the console form's values", () => {
  it("round-trip a full line through the form and the schema", () => {
    const stored = {
      action: "payments.refund.issue",
      effect: "allow",
      conditions: {
        resource: "charges/*",
        params: { amount: { min: 0.01, max: 500 }, currency: { oneOf: ["USD", "EUR"] }, to: { domains: ["example.com"] } },
        window: { days: ["mon", "fri"], from: "08:00", to: "18:00", tz: "Europe/Berlin" },
      },
      onConditionFail: "require_approval",
      rateLimitPerMinute: 5,
      rateLimitPerHour: null,
      justification: "Refunds small amounts.",
    };
    const line = parseLine(lineFromValues(formValuesFor(stored)));
    expect(line).toEqual({ ...stored, rateLimitPerHour: undefined, rateLimitPerMinute: 5 });
  });

  it("sends what a person left wrong as it is, for the server to name", () => {
    const values = { ...EMPTY_LINE, action: "crm.contact.read", justification: "x", params: [{ ...newParamRow(), name: "amount", min: "ten" }] };
    expect(fieldsOf(lineFromValues(values))).toHaveProperty("conditions.params.amount.min");
  });

  it("leaves out blank rows and an unticked window", () => {
    const values = { ...EMPTY_LINE, action: "crm.contact.read", justification: "x", params: [newParamRow()], windowOn: false };
    expect(lineFromValues(values)).not.toHaveProperty("conditions");
  });
});
