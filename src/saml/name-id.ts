// The NameID an SP gets for a user: its format and value, per the SP record (email, persistent, unspecified).
import { SamlBuildError } from './dom-build.ts';
import { NAME_ID_FORMAT } from './names.ts';
import type { SpRecord } from './sp-record.ts';
import { type SamlSubject, sourceName, subjectValues } from './subject.ts';

/** A NameID ready to be written. */
export interface NameId {
  format: string;
  value: string;
}

/**
 * The NameID for `subject` at `sp`. Throws SamlBuildError when the source has no single value (a user without an
 * e-mail address at an emailAddress SP; an Entra SP and a user without an ImmutableID).
 */
export function nameIdFor(sp: SpRecord, subject: SamlSubject): NameId {
  const values = subjectValues(subject, sp.nameId.source);
  if (values.length !== 1) {
    throw new SamlBuildError(
      'missing_value',
      `the NameID of '${sp.entityId}' comes from ${sourceName(sp.nameId.source)}, which has ${values.length} values for this user`,
    );
  }
  const value = values[0]!;
  if (sp.nameId.format === 'emailAddress' && !/^[^@\s]+@[^@\s]+$/.test(value)) {
    throw new SamlBuildError('missing_value', `the NameID of '${sp.entityId}' must be an e-mail address`);
  }
  return { format: NAME_ID_FORMAT[sp.nameId.format], value };
}
