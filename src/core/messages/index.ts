/** Messages as data: codes and their typed params, the catalogs, formatting, and errors that carry a message. */
export { CODES, type Code, type Message, type ParamsOf } from './codes.ts';
export { CATALOGS, MessageError, errorMessage, formatMessage, joinMessages, msg, type Lang } from './format.ts';
export { yamlProblem } from './yaml-problems.ts';
