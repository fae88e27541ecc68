// Every console server action refuses text PostgreSQL cannot store before its schema runs
// (lib/auth/action.ts), naming each field: a NUL or a lone surrogate in a note, a name or a nested
// value is the sender's 4xx, never a database error answered as "something went wrong".
import { describe, expect, it } from "vitest";
import { formDataToObject } from "@/lib/auth/action";
import { unstorableFields } from "@/lib/http/errors";

describe("unstorableFields", () => {
  it("names every field holding a NUL or a lone surrogate, keys and nested values included", () => {
    const input = {
      checkpointId: "7f1c",
      note: "approve\u0000",
      owners: ["ok", "bad\ud800"],
      conditions: { params: { amount: { max: 5 } }, ["k\u0000"]: 1 },
      fine: "emoji 😀 and accents é",
    };
    expect(unstorableFields(input)).toEqual([
      { path: "note", message: "Must not contain NUL characters." },
      { path: "owners.1", message: "Must not contain unpaired UTF-16 surrogates." },
      { path: "conditions.k\u0000", message: "Must not contain NUL characters." },
    ]);
  });

  it("finds them in a submitted form too, and passes ordinary input", () => {
    const form = new FormData();
    form.set("name", "Refund bot\u0000");
    form.append("roles", "approver");
    expect(unstorableFields(formDataToObject(form))).toEqual([{ path: "name", message: "Must not contain NUL characters." }]);
    expect(unstorableFields({ name: "Refund bot", roles: ["approver"], when: new Date(), n: 5, none: null })).toEqual([]);
  });

  it("stops after 20 fields and at 32 levels, so a hostile input cannot make it work for long", () => {
    expect(unstorableFields(Array.from({ length: 1000 }, () => "\u0000"))).toHaveLength(20);
    let deep: unknown = "\u0000";
    for (let level = 0; level < 10_000; level += 1) deep = [deep];
    expect(unstorableFields(deep)).toEqual([]);
  });
});
