"use client";
// The time-window part of the line form: weekdays, from (inclusive), to (exclusive), time zone.
import { WEEKDAYS, type Weekday } from "@/lib/permissions/conditions";
import { Field, FieldError, inputClass } from "./field";
import type { LineFormValues } from "./line-form-values";

const ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"];

interface Props {
  idPrefix: string;
  values: LineFormValues;
  set: (patch: Partial<LineFormValues>) => void;
  fieldErrors?: Record<string, string>;
}

export function WindowFields({ idPrefix, values, set, fieldErrors }: Props) {
  const id = `${idPrefix}-window`;
  const toggleDay = (day: Weekday, on: boolean) => set({ days: on ? WEEKDAYS.filter((d) => d === day || values.days.includes(d)) : values.days.filter((d) => d !== day) });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-xs font-medium">Time window</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={values.windowOn} onChange={(event) => set({ windowOn: event.target.checked })} />
        Only at certain times
      </label>
      {values.windowOn ? (
        <div className="flex flex-col gap-2 rounded-md border border-line p-2">
          <div role="group" aria-labelledby={`${id}-days-label`} aria-describedby={fieldErrors?.["conditions.window.days"] ? `${id}-days-error` : undefined} className="flex flex-wrap items-center gap-3">
            <span id={`${id}-days-label`} className="text-xs font-medium">
              Days
            </span>
            {WEEKDAYS.map((day) => (
              <label key={day} className="flex items-center gap-1 text-sm">
                <input type="checkbox" checked={values.days.includes(day)} onChange={(event) => toggleDay(day, event.target.checked)} />
                {day}
              </label>
            ))}
          </div>
          <FieldError id={`${id}-days-error`} message={fieldErrors?.["conditions.window.days"]} />
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
            <Field id={`${id}-from`} label="From (inclusive)" error={fieldErrors?.["conditions.window.from"]}>
              <input type="time" className={inputClass} value={values.from} onChange={(event) => set({ from: event.target.value })} />
            </Field>
            <Field id={`${id}-to`} label="To (exclusive)" error={fieldErrors?.["conditions.window.to"]}>
              <input type="time" className={inputClass} value={values.to} onChange={(event) => set({ to: event.target.value })} />
            </Field>
            <Field id={`${id}-tz`} label="Time zone (IANA)" error={fieldErrors?.["conditions.window.tz"]}>
              <input className={inputClass} list={`${id}-zones`} value={values.tz} onChange={(event) => set({ tz: event.target.value })} />
            </Field>
            <datalist id={`${id}-zones`}>
              {ZONES.map((zone) => (
                <option key={zone} value={zone} />
              ))}
            </datalist>
          </div>
          <FieldError id={`${id}-error`} message={fieldErrors?.["conditions.window"]} />
        </div>
      ) : null}
    </fieldset>
  );
}
