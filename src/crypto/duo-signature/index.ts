// Public surface of Duo-compatible request signing and verification.

export {
  canonicalV1,
  canonicalV2,
  canonicalV4,
  canonicalV5,
  sha512Hex,
  xDuoHeaderHash,
} from './canonical-request.ts';
export { canonicalParams, canonicalParamsWholeSort, duoEncode } from './canonicalize.ts';
export { type DuoCredentials, parseAuthorization } from './parse-authorization.ts';
export { parseDuoDate } from './parse-date.ts';
export { parseFormPairs, parseQueryPairs } from './parse-form.ts';
export { type JsonBodyProblem, parseJsonPairs } from './parse-json.ts';
export {
  authorizationHeader,
  DuoSignError,
  hmacHex,
  type SignInput,
  signV1,
  signV2,
  signV4,
  signV5,
  skeyObject,
} from './sign.ts';
export type { DecodedBody, SignedRequest } from './signed-request.ts';
export type { DuoAuthErrorCode, VerifyFailure } from './verify-failures.ts';
export { type VerifyDeps, type VerifySuccess, verifyDuoRequest } from './verify-request.ts';
export { type V1Deps, type V1Success, verifyV1Request } from './verify-v1.ts';
