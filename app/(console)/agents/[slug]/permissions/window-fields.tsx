"use client";
// The time-window part of the line form: weekdays, from (inclusive), to (exclusive), time zone.
import { WEEKDAYS } from "@/lib/permissions/conditions";
import { CheckboxGroup, FieldError, TextField } from "@/components/ui/form";
import type { LineFormValues } from "./line-form-values";

const ZONES = ["UTC", "Europe/London", "Europe/Berlin", "America/New_York", "America/Los_Angeles", "Asia/Tokyo", "Asia/Kolkata", "Australia/Sydney"];
const DAYS = WEEKDAYS.map((day) => ({ value: day, label: day }));

interface Props {
  idPrefix: string;
  values: LineFormValues;
  set: (patch: Partial<LineFormValues>) => void;
  fieldErrors?: Record<string, string>;
}

export function WindowFields({ idPrefix, values, set, fieldErrors }: Props) {
  const id = `${idPrefix}-window`;
  // Kept in week order whatever order the boxes are ticked in.
  const toggleDay = (day: string, on: boolean) =>
    set({ days: on ? WEEKDAYS.filter((d) => d === day || values.days.includes(d)) : values.days.filter((d) => d !== day) });
  return (
    <fieldset className="flex flex-col gap-2">
      <legend className="text-xs font-medium">Time window</legend>
      <label className="flex items-center gap-2 text-sm">
        <input type="checkbox" checked={values.windowOn} onChange={(event) => set({ windowOn: event.target.checked })} />
        Only at certain times
      </label>
      {values.windowOn ? (
        <div className="flex flex-col gap-2 rounded-md border border-line p-2">
          <CheckboxGroup legend="Days" options={DAYS} value={values.days} onChange={toggleDay} error={fieldErrors?.["conditions.window.days"]} />
          <div className="grid grid-cols-1 gap-2 sm:grid-cols-3">
            <TextField id={`${id}-from`} label="From (inclusive)" type="time" error={fieldErrors?.["conditions.window.from"]} value={values.from} onChange={(event) => set({ from: event.target.value })} />
            <TextField id={`${id}-to`} label="To (exclusive)" type="time" error={fieldErrors?.["conditions.window.to"]} value={values.to} onChange={(event) => set({ to: event.target.value })} />
            <TextField
              id={`${id}-tz`}
              label="Time zone (IANA)"
              list={`${id}-zones`}
              error={fieldErrors?.["conditions.window.tz"]}
              value={values.tz}
              onChange={(event) => set({ tz: event.target.value })}
            />
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
