// The key of a system or an action: typed once when it is added, then shown fixed, because
// agents ask for actions by key and renaming one would silently break their lists.
import { TextField } from "@/components/ui/form";

interface Props {
  /** The existing key when editing; the field is then read-only text. */
  fixed?: string;
  error?: string;
  hint: string;
  defaultValue?: string;
  placeholder?: string;
}

export function KeyField({ fixed, error, hint, defaultValue, placeholder }: Props) {
  if (fixed !== undefined) {
    return (
      <div className="flex flex-col gap-1">
        <span className="text-xs font-medium">Key</span>
        <span className="py-1 font-mono text-xs">{fixed}</span>
        <input type="hidden" name="key" value={fixed} />
      </div>
    );
  }
  return (
    <TextField
      label="Key"
      name="key"
      error={error}
      required
      autoComplete="off"
      spellCheck={false}
      defaultValue={defaultValue}
      placeholder={placeholder}
      hint={hint}
      wrapperClassName="font-mono"
    />
  );
}
