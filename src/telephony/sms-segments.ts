// How many SMS segments a text takes (3GPP TS 23.038 alphabets, TS 23.040 concatenation): what providers bill.

/** The GSM 7-bit default alphabet (TS 23.038 §6.2.1): one septet each. */
const GSM_BASIC =
  '@£$¥èéùìòÇ\nØø\rÅåΔ_ΦΓΛΩΠΨΣΘΞÆæßÉ !"#¤%&\'()*+,-./0123456789:;<=>?¡ABCDEFGHIJKLMNOPQRSTUVWXYZÄÖÑÜ§¿abcdefghijklmnopqrstuvwxyzäöñüà';
/** The extension table (§6.2.1.1): an escape septet plus one, so two each. */
const GSM_EXTENDED = '^{}\\[~]|€\f';

/** The encoding a text needs and how many segments it is billed as. */
export interface SmsSize {
  encoding: 'gsm7' | 'ucs2';
  /** Septets (GSM-7) or UTF-16 code units (UCS-2). */
  units: number;
  segments: number;
}

/** The size of `text`: one segment holds 160 GSM-7 septets or 70 UCS-2 units; concatenated parts 153 or 67. */
export function smsSize(text: string): SmsSize {
  let septets = 0;
  for (const char of text) {
    if (GSM_BASIC.includes(char)) septets += 1;
    else if (GSM_EXTENDED.includes(char)) septets += 2;
    else {
      const units = text.length;
      return { encoding: 'ucs2', units, segments: units <= 70 ? 1 : Math.ceil(units / 67) };
    }
  }
  return { encoding: 'gsm7', units: septets, segments: septets <= 160 ? 1 : Math.ceil(septets / 153) };
}
