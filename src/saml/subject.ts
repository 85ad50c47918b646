// The signed-in user as SAML sees it, and the values an SP record's sources pick from it.
import type { User } from '../core/model.ts';
import type { SubjectSource } from './sp-record.ts';

/** What a SAML response may say about the user. */
export interface SamlSubject {
  userId: string;
  username: string;
  email: string | null;
  realName: string | null;
  groups: readonly string[];
  /** Directory attributes by name (for example `immutableId` for Entra ID). */
  attributes: Readonly<Record<string, readonly string[]>>;
}

/** A user of the core as a SAML subject, with directory attributes the caller looked up. */
export function subjectFromUser(user: User, attributes: SamlSubject['attributes'] = {}): SamlSubject {
  return {
    userId: user.id,
    username: user.username,
    email: user.email,
    realName: user.realName,
    groups: user.groups,
    attributes,
  };
}

/** The values `source` yields for `subject`: none when the user has no such value. */
export function subjectValues(subject: SamlSubject, source: SubjectSource): readonly string[] {
  if (typeof source === 'object') return (subject.attributes[source.attribute] ?? []).filter((v) => v !== '');
  switch (source) {
    case 'groups':
      return subject.groups;
    case 'userId':
      return [subject.userId];
    case 'username':
      return [subject.username];
    case 'email':
      return subject.email ? [subject.email] : [];
    case 'realName':
      return subject.realName ? [subject.realName] : [];
  }
}

/** How a source is named in messages to operators. */
export function sourceName(source: SubjectSource): string {
  return typeof source === 'object' ? `attribute '${source.attribute}'` : source;
}
