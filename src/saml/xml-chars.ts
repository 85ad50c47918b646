// XML 1.0 §2.2 Char: what a document may hold at all (no NUL, no C0 controls but TAB/LF/CR, no lone surrogates).

const XML_TEXT = /^[\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]*$/u;

/** True when every character of `value` may appear in an XML document. */
export function isXmlText(value: string): boolean {
  return XML_TEXT.test(value);
}

/** True when the code point `code` may appear in an XML document (a character reference must name one). */
export function isXmlChar(code: number): boolean {
  return (
    code === 0x9 ||
    code === 0xa ||
    code === 0xd ||
    (code >= 0x20 && code <= 0xd7ff) ||
    (code >= 0xe000 && code <= 0xfffd) ||
    (code >= 0x10000 && code <= 0x10ffff)
  );
}
