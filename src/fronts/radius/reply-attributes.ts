// Turns a client's group rules into Access-Accept attributes (Class, Filter-Id, Reply-Message) for one user.

import type { ReplyAttributeName, ReplyAttributeRule } from '../../core/admin/radius-clients.ts';
import { AttributeType, stringAttribute } from './attributes.ts';
import type { Attribute } from './packet.ts';

const TYPES: Record<ReplyAttributeName, number> = {
  Class: AttributeType.Class,
  'Filter-Id': AttributeType.FilterId,
  'Reply-Message': AttributeType.ReplyMessage,
};

/** The attributes of every rule whose group the user belongs to, in rule order. */
export function replyAttributesFor(
  rules: readonly ReplyAttributeRule[],
  groups: readonly string[],
): Attribute[] {
  return rules
    .filter((rule) => groups.includes(rule.group))
    .map((rule) => stringAttribute(TYPES[rule.attribute], rule.value));
}
