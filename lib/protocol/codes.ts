/** Result codes of the CTI protocol (protocol.md §7). Always strings on the wire. */
export const ResultCode = {
  OK: "0",
  BUSINESS_FAILURE: "1",
  CALL_NOT_FOUND: "4000",
  AGENT_NOT_VALID: "4001",
  BAD_PARAMETER: "4002",
  NOT_CHECKED_IN_OR_NO_AGENT: "4003",
  WRONG_CREDENTIALS: "4004",
  COMPANY_NOT_FOUND: "4008",
  AGENT_NOT_CHECKED_IN: "4009",
  CHECKED_IN_ELSEWHERE: "4010",
  EXTENSION_MISMATCH: "4012",
  INVALID_MSG_TYPE: "4014",
  AGENT_NOT_IN_CALL: "4016",
  CONCURRENCY_LIMIT: "5000",
  SYSTEM_ERROR: "9999",
} as const;

export type ResultCode = (typeof ResultCode)[keyof typeof ResultCode];

export const RESULT_CODES: readonly ResultCode[] = Object.values(ResultCode);

export function isResultCode(value: string): value is ResultCode {
  return (RESULT_CODES as readonly string[]).includes(value);
}
