// The XML libraries SAML needs, loaded on first use: a server that never speaks SAML never holds xmldom, xml-crypto
// and xpath in memory (issue 14, idle memory). Both are CommonJS, so `require` loads them synchronously, inside the
// synchronous functions that parse, build and sign XML, with no change to their behaviour.
import { createRequire } from 'node:module';

type XmlDom = typeof import('@xmldom/xmldom');
type XmlCrypto = typeof import('xml-crypto');

const require = createRequire(import.meta.url);
let xmlDomModule: XmlDom | undefined;
let xmlCryptoModule: XmlCrypto | undefined;

/** `@xmldom/xmldom`, loaded the first time it is asked for. */
export function xmlDom(): XmlDom {
  xmlDomModule ??= require('@xmldom/xmldom') as XmlDom;
  return xmlDomModule;
}

/** `xml-crypto`, loaded the first time it is asked for. */
export function xmlCrypto(): XmlCrypto {
  xmlCryptoModule ??= require('xml-crypto') as XmlCrypto;
  return xmlCryptoModule;
}
