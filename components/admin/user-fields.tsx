"use client";

import { useTranslations } from "next-intl";
import { useState } from "react";
import { ROLES, type TRole } from "@/lib/auth/viewer";
import { FormField } from "@/components/auth/form-field";

const SELECT =
  "w-full rounded border border-slate-300 bg-white px-3 py-2 text-base dark:border-slate-700 dark:bg-slate-950";

export interface TUserFieldValues {
  role: TRole;
  companyCode: string;
  allCompanies: boolean;
  ctiAgentId: string;
  ctiExtId: string;
}

/** Role, company, "all companies" and the CTI link: shared by the create and edit forms. */
export function UserFields({
  prefix,
  initial,
  companies,
  canGrantAll,
  errors,
}: {
  prefix: string;
  initial: TUserFieldValues;
  companies: string[];
  canGrantAll: boolean;
  errors: Record<string, string> | undefined;
}) {
  const t = useTranslations("admin.users");
  const tRoles = useTranslations("auth.roles");
  const [role, setRole] = useState<TRole>(initial.role);
  const options = companies.includes(initial.companyCode)
    ? companies
    : [initial.companyCode, ...companies];
  return (
    <>
      <div className="flex flex-col gap-1">
        <label
          htmlFor={`${prefix}-role`}
          className="text-sm font-medium text-slate-700 dark:text-slate-300"
        >
          {t("role")}
        </label>
        <select
          id={`${prefix}-role`}
          name="role"
          className={SELECT}
          value={role}
          onChange={(e) => setRole(e.target.value as TRole)}
        >
          {ROLES.map((r) => (
            <option key={r} value={r}>
              {tRoles(r)}
            </option>
          ))}
        </select>
        {errors?.role ? <p className="text-sm text-red-700">{errors.role}</p> : null}
      </div>
      <div className="flex flex-col gap-1">
        <label
          htmlFor={`${prefix}-company`}
          className="text-sm font-medium text-slate-700 dark:text-slate-300"
        >
          {t("company")}
        </label>
        <select
          id={`${prefix}-company`}
          name="companyCode"
          className={SELECT}
          defaultValue={initial.companyCode}
        >
          {options.map((c) => (
            <option key={c} value={c}>
              {c}
            </option>
          ))}
        </select>
        {errors?.companyCode ? (
          <p className="text-sm text-red-700" data-testid="error-companyCode">
            {errors.companyCode}
          </p>
        ) : null}
      </div>
      {canGrantAll && role === "admin" ? (
        <label className="flex items-center gap-2 text-sm">
          <input type="checkbox" name="allCompanies" defaultChecked={initial.allCompanies} />
          {t("allCompanies")}
        </label>
      ) : null}
      {errors?.allCompanies ? <p className="text-sm text-red-700">{errors.allCompanies}</p> : null}
      {/* Supervisors must have their own CTI agent; admins may, to intervene from the floor. */}
      {role === "supervisor" || role === "admin" ? (
        <>
          <FormField
            id={`${prefix}-cti-agent`}
            label={t("ctiAgentId")}
            name="ctiAgentId"
            defaultValue={initial.ctiAgentId}
            hint={t("ctiHint")}
            error={errors?.ctiAgentId}
          />
          <FormField
            id={`${prefix}-cti-ext`}
            label={t("ctiExtId")}
            name="ctiExtId"
            defaultValue={initial.ctiExtId}
            error={errors?.ctiExtId}
          />
        </>
      ) : null}
    </>
  );
}

/** The form's values as the action's input (unchecked box: false; hidden CTI fields: empty). */
export function userFieldsFromForm(form: FormData): Record<string, unknown> {
  return {
    role: form.get("role"),
    companyCode: form.get("companyCode"),
    allCompanies: form.get("allCompanies") === "on",
    ctiAgentId: form.get("ctiAgentId") ?? "",
    ctiExtId: form.get("ctiExtId") ?? "",
  };
}
