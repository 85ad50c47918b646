// A parser for text/event-stream (WHATWG HTML §9.2 "Server-sent events"), fed chunk by chunk.

/** One dispatched event: its `event:` type (default "message") and its joined `data:` lines. */
export interface StreamMessage {
  event: string;
  data: string;
}

/** Returns `feed(text)`: call it with each decoded chunk; `onMessage` runs for every complete event. */
export function createEventStreamParser(
  onMessage: (message: StreamMessage) => void,
): (chunk: string) => void {
  let buffer = '';
  let event = '';
  let data: string[] = [];
  const line = (text: string) => {
    if (text === '') {
      // A blank line dispatches; an event without data is dropped (§9.2.6).
      if (data.length > 0) onMessage({ event: event || 'message', data: data.join('\n') });
      event = '';
      data = [];
      return;
    }
    if (text.startsWith(':')) return; // a comment (keep-alive)
    const colon = text.indexOf(':');
    const field = colon === -1 ? text : text.slice(0, colon);
    let value = colon === -1 ? '' : text.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    if (field === 'event') event = value;
    else if (field === 'data') data.push(value);
  };
  return (chunk) => {
    buffer += chunk;
    // Lines end in CRLF, LF or CR; a CR at the very end may be half of a CRLF still to come.
    for (;;) {
      const match = /\r\n|\n|\r(?!$)/.exec(buffer);
      if (!match) break;
      line(buffer.slice(0, match.index));
      buffer = buffer.slice(match.index + match[0].length);
    }
  };
}
