// Parses RFC 6030 PSKC key containers (HOTP/TOTP KeyPackages) into tokens.
import {
  type ImportedRow,
  type ImportedToken,
  type ImportResult,
  type ImportRowError,
  type ImportRows,
  importResult,
} from './imported-token.ts';
import { readPlainField, readSecret } from './pskc-data.ts';
import { type Protection, setUpProtection } from './pskc-protection.ts';
import {
  type Checked,
  checkAlgorithm,
  checkCounter,
  checkDigits,
  checkPeriod,
  checkSecretLength,
  checkSerial,
  collect,
  createSerialTracker,
} from './token-rules.ts';
import { attrOf, child, children, parseXml, textOf, type XmlElement } from './xml-tree.ts';

// RFC 6030 §10.4.1 / §10.4.2 algorithm URNs.
const KINDS: Record<string, ImportedToken['kind']> = {
  'urn:ietf:params:xml:ns:keyprov:pskc:hotp': 'hotp',
  'urn:ietf:params:xml:ns:keyprov:pskc:totp': 'totp',
};

/** Options for parseTokenPskc: the pre-shared key for files protected per RFC 6030 §6.1. */
export interface PskcOptions {
  preSharedKey?: Uint8Array;
}

/** Key/@Algorithm → hotp|totp. */
function checkKind(uri: string | undefined): Checked<ImportedToken['kind']> {
  const kind = uri === undefined ? undefined : KINDS[uri];
  if (kind !== undefined) return { ok: true, value: kind };
  return {
    ok: false,
    message: `unsupported Key Algorithm ${JSON.stringify(uri ?? '')}; expected the pskc:hotp or pskc:totp URN`,
  };
}

/** AlgorithmParameters/ResponseFormat → digits (RFC 6030 §4.3.4); only DECIMAL codes are usable. */
function readDigits(format: XmlElement | undefined): Checked<6 | 8> {
  const encoding = attrOf(format, 'Encoding');
  if (encoding !== undefined && encoding.toUpperCase() !== 'DECIMAL') {
    return { ok: false, message: `ResponseFormat Encoding must be DECIMAL, got ${JSON.stringify(encoding)}` };
  }
  return checkDigits(attrOf(format, 'Length') ?? '');
}

/** AlgorithmParameters/Suite (e.g. "HMAC-SHA256") → hash algorithm; absent means SHA-1. */
function readHash(suite: string | undefined): Checked<ImportedToken['algorithm']> {
  return checkAlgorithm((suite ?? '').replace(/^hmac-/i, ''));
}

/** Converts one KeyPackage (1-based `line`) into a token, pushing one error per bad field. */
function readPackage(
  pkg: XmlElement,
  line: number,
  protection: Protection,
  errors: ImportRowError[],
  trackSerial: ReturnType<typeof createSerialTracker>,
): ImportedToken | undefined {
  const keys = children(pkg, 'Key');
  const key = keys[0];
  if (key === undefined) {
    errors.push({ line, field: 'Key', message: 'KeyPackage has no Key' });
    return undefined;
  }
  const before = errors.length;
  if (keys.length > 1) errors.push({ line, field: 'Key', message: 'KeyPackage holds more than one Key' });
  const rawSerial = textOf(child(pkg, 'DeviceInfo', 'SerialNo')) || attrOf(key, 'Id');
  const serialCheck: Checked<string> =
    rawSerial === undefined
      ? { ok: false, message: 'no DeviceInfo/SerialNo and no Key Id' }
      : checkSerial(rawSerial);
  const checkedSerial = collect(errors, line, 'DeviceInfo/SerialNo', serialCheck);
  const serial =
    checkedSerial && collect(errors, line, 'DeviceInfo/SerialNo', trackSerial(checkedSerial, line));
  const kind = collect(errors, line, 'Key/@Algorithm', checkKind(attrOf(key, 'Algorithm')));
  const params = child(key, 'AlgorithmParameters');
  const digits = collect(errors, line, 'ResponseFormat/@Length', readDigits(child(params, 'ResponseFormat')));
  const algorithm = collect(
    errors,
    line,
    'AlgorithmParameters/Suite',
    readHash(textOf(child(params, 'Suite'))),
  );
  const data = child(key, 'Data');
  const read = readSecret(data, protection);
  const decoded = read && collect(errors, line, 'Data/Secret', read);
  const secret = decoded && collect(errors, line, 'Data/Secret', checkSecretLength(decoded));
  let counter = 0n;
  let period = 0;
  if (kind === 'hotp') {
    const text = collect(errors, line, 'Data/Counter', readPlainField(data, 'Counter'));
    if (text !== undefined) counter = collect(errors, line, 'Data/Counter', checkCounter(text)) ?? 0n;
  } else if (kind === 'totp') {
    const text = collect(errors, line, 'Data/TimeInterval', readPlainField(data, 'TimeInterval'));
    if (text !== undefined) period = collect(errors, line, 'Data/TimeInterval', checkPeriod(text)) ?? 0;
  }
  if (errors.length > before || !serial || !secret || !kind || !digits || !algorithm) return undefined;
  return { serial, kind, secret, digits, algorithm, counter, period };
}

/**
 * Parses a PSKC (RFC 6030) document. Errors carry the 1-based KeyPackage index as `line`; problems
 * with the container itself (XML, keys) are reported at line 1 (malformed XML: the XML line).
 */
export function parseTokenPskc(xml: string, opts: PskcOptions = {}): ImportResult {
  return importResult(parseTokenPskcRows(xml, opts));
}

/** Reads a PSKC document package by package: the good packages' tokens with their indexes, and every problem. */
export function parseTokenPskcRows(xml: string, opts: PskcOptions = {}): ImportRows {
  const parsed = parseXml(xml);
  if (!parsed.ok) return { found: [], errors: [{ line: parsed.line, message: parsed.message }] };
  const container = child(parsed.document, 'KeyContainer');
  if (container === undefined) {
    return {
      found: [],
      errors: [{ line: 1, message: 'not a PSKC file: the document element must be KeyContainer' }],
    };
  }
  const version = attrOf(container, 'Version');
  if (version !== undefined && version !== '1.0') {
    return {
      found: [],
      errors: [
        {
          line: 1,
          field: 'KeyContainer/@Version',
          message: `unsupported PSKC version ${JSON.stringify(version)}; expected 1.0`,
        },
      ],
    };
  }
  const errors: ImportRowError[] = [];
  const protection = setUpProtection(container, opts.preSharedKey, errors);
  const packages = children(container, 'KeyPackage');
  if (packages.length === 0)
    errors.push({ line: 1, field: 'KeyPackage', message: 'the file contains no KeyPackage' });
  const trackSerial = createSerialTracker();
  const found: ImportedRow[] = [];
  packages.forEach((pkg, i) => {
    const token = readPackage(pkg, i + 1, protection, errors, trackSerial);
    if (token) found.push({ line: i + 1, token });
  });
  return { found, errors };
}
