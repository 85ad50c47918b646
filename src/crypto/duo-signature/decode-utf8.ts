// Strict UTF-8 decoding for the signature parsers: invalid bytes give null, never a thrown error.

/** Decodes UTF-8 exactly (a leading BOM is kept as U+FEFF); null when the bytes are not valid UTF-8. */
export function decodeUtf8(bytes: Uint8Array): string | null {
  try {
    return new TextDecoder('utf-8', { fatal: true, ignoreBOM: true }).decode(bytes);
  } catch {
    return null;
  }
}
