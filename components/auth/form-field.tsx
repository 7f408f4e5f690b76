import type { InputHTMLAttributes, ReactNode } from "react";

const INPUT =
  "w-full rounded border border-slate-300 bg-white px-3 py-2 text-base aria-[invalid=true]:border-red-500 dark:border-slate-700 dark:bg-slate-950";

/** A labelled input with its error under it (linked for screen readers). */
export function FormField({
  label,
  error,
  hint,
  ...input
}: {
  label: ReactNode;
  error?: string | undefined;
  hint?: ReactNode;
  name: string;
} & InputHTMLAttributes<HTMLInputElement>) {
  const id = input.id ?? `field-${input.name}`;
  return (
    <div className="flex flex-col gap-1">
      <label htmlFor={id} className="text-sm font-medium text-slate-700 dark:text-slate-300">
        {label}
      </label>
      <input
        {...input}
        id={id}
        className={INPUT}
        aria-invalid={error ? true : undefined}
        aria-describedby={error ? `${id}-error` : undefined}
      />
      {hint && !error ? <p className="text-xs text-slate-500">{hint}</p> : null}
      {error ? (
        <p
          id={`${id}-error`}
          className="text-sm text-red-700 dark:text-red-400"
          data-testid={`error-${input.name}`}
        >
          {error}
        </p>
      ) : null}
    </div>
  );
}

/** A form-level message: the action's `{message}` for a failure, or a success note. */
export function FormMessage({
  tone,
  children,
}: {
  tone: "error" | "success";
  children: ReactNode;
}) {
  const style =
    tone === "error"
      ? "border-red-200 bg-red-50 text-red-800 dark:border-red-900 dark:bg-red-950 dark:text-red-200"
      : "border-emerald-200 bg-emerald-50 text-emerald-800 dark:border-emerald-900 dark:bg-emerald-950 dark:text-emerald-200";
  return (
    <p
      role={tone === "error" ? "alert" : "status"}
      className={`rounded border px-3 py-2 text-sm ${style}`}
      data-testid={`form-${tone}`}
    >
      {children}
    </p>
  );
}

export const BUTTON =
  "inline-flex items-center justify-center rounded bg-slate-900 px-4 py-2 text-sm font-medium text-white hover:bg-slate-700 disabled:opacity-50 dark:bg-slate-100 dark:text-slate-900 dark:hover:bg-slate-300";
export const BUTTON_SECONDARY =
  "inline-flex items-center justify-center rounded border border-slate-300 px-3 py-1.5 text-sm font-medium text-slate-700 hover:bg-slate-100 disabled:opacity-50 dark:border-slate-700 dark:text-slate-200 dark:hover:bg-slate-800";
export const BUTTON_DANGER =
  "inline-flex items-center justify-center rounded border border-red-300 px-3 py-1.5 text-sm font-medium text-red-700 hover:bg-red-50 disabled:opacity-50 dark:border-red-800 dark:text-red-300 dark:hover:bg-red-950";
