import "server-only";
export { failure, invalidInput } from "../errors";
export { localeOf } from "../locale";
