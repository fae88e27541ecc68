// The console's buttons: one look per role (primary, secondary, caution), two sizes: "sm" for
// dense tables and compact admin forms, "md" for page-level forms.
import type { ButtonHTMLAttributes, ReactNode } from "react";

const VARIANTS = {
  primary: "bg-accent text-white hover:opacity-90 dark:text-bg",
  secondary: "border border-line bg-surface text-fg hover:bg-surface-2",
  /** Final, serious steps (retire, revoke). Red stays reserved for kills and denials. */
  caution: "bg-amber-600 text-white hover:bg-amber-700 dark:bg-amber-500 dark:text-gray-950",
} as const;

const SIZES = { sm: "px-2.5 py-1 text-xs", md: "px-3 py-1.5 text-sm" } as const;

export type ButtonVariant = keyof typeof VARIANTS;
export type ButtonSize = keyof typeof SIZES;

interface Look {
  variant?: ButtonVariant;
  size?: ButtonSize;
}

function buttonClass({ variant = "secondary", size = "md" }: Look = {}): string {
  return `rounded-md font-medium disabled:opacity-60 ${SIZES[size]} ${VARIANTS[variant]}`;
}

export function Button({ variant, size, className = "", type = "button", ...button }: Look & ButtonHTMLAttributes<HTMLButtonElement>) {
  return <button type={type} className={`${buttonClass({ variant, size })} ${className}`} {...button} />;
}

interface SubmitProps extends Look, Omit<ButtonHTMLAttributes<HTMLButtonElement>, "type"> {
  pending: boolean;
  /** What the button says while the server works. */
  pendingLabel?: string;
  children: ReactNode;
}

export function SubmitButton({ pending, pendingLabel = "Saving…", children, variant = "primary", disabled, ...button }: SubmitProps) {
  return (
    <Button type="submit" variant={variant} disabled={pending || disabled} {...button}>
      {pending ? pendingLabel : children}
    </Button>
  );
}
