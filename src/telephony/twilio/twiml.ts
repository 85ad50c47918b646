// TwiML for a sign-in call: say who and what, gather one digit, then answer the keypress and hang up.
import { CALL_REPLIES, type CallReply, callPrompt, GATHER_TIMEOUT_SECONDS } from '../call-script.ts';
import type { CallScript } from '../provider.ts';

const XML_DECLARATION = '<?xml version="1.0" encoding="UTF-8"?>';
// biome-ignore lint/suspicious/noControlCharactersInRegex: matching the controls XML forbids is the point.
const XML_FORBIDDEN = /[\u0000-\u0008\u000b\u000c\u000e-\u001f]/g;
/** XML character data: `&`, `<` and `>` escaped (the form Twilio's own TwiML builder writes). */
const text = (value: string) =>
  value
    // XML 1.0 §2.2: C0 controls other than tab and line ends are not characters a document may hold.
    .replace(XML_FORBIDDEN, '')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;');
/** An XML attribute value in double quotes. */
const attr = (value: string) => text(value).replace(/"/g, '&quot;');

function say(words: string, language: string): string {
  return `<Say language="${attr(language)}">${text(words)}</Say>`;
}

/**
 * The call's script: the prompt inside `<Gather numDigits="1">` (said twice, so someone picking up late still
 * hears it), the digit POSTed to `actionUrl`; with no keypress the call says so and hangs up.
 */
export function gatherTwiml(script: CallScript, actionUrl: string, language: string): string {
  const gather = `<Gather numDigits="1" timeout="${GATHER_TIMEOUT_SECONDS}" action="${attr(actionUrl)}" method="POST">`;
  const prompt = `<Say language="${attr(language)}" loop="2">${text(callPrompt(script))}</Say>`;
  return `${XML_DECLARATION}<Response>${gather}${prompt}</Gather>${say(CALL_REPLIES.none, language)}<Hangup/></Response>`;
}

/** The answer to the gathered keypress, then the end of the call. */
export function replyTwiml(reply: CallReply, language: string): string {
  return `${XML_DECLARATION}<Response>${say(CALL_REPLIES[reply], language)}<Hangup/></Response>`;
}

/** An empty response: what status callbacks get. */
export function emptyTwiml(): string {
  return `${XML_DECLARATION}<Response/>`;
}
