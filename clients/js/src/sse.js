// A Server-Sent Events parser (the WHATWG "event stream interpretation"), for runtimes without EventSource.

/**
 * Feed it decoded text as it arrives; it calls `onEvent({type, data, lastEventId})` for every
 * dispatched event and `onRetry(ms)` for a `retry:` field. `lastEventId` is where the stream
 * stands, including ids sent on events without data (Beckon sends its position that way).
 */
export class SseParser {
  #onEvent;
  #onRetry;
  #pending = '';
  #skipLf = false;
  #started = false;
  #data = '';
  #type = '';
  #lastEventId = '';

  constructor(onEvent, onRetry = () => {}) {
    this.#onEvent = onEvent;
    this.#onRetry = onRetry;
  }

  get lastEventId() {
    return this.#lastEventId;
  }

  push(text) {
    if (!this.#started && text.length > 0) {
      this.#started = true;
      if (text.charCodeAt(0) === 0xfeff) text = text.slice(1);
    }
    if (this.#skipLf && text.startsWith('\n')) text = text.slice(1);
    this.#skipLf = false;
    let buffer = this.#pending + text;
    let start = 0;
    for (let i = 0; i < buffer.length; i++) {
      const c = buffer.charCodeAt(i);
      if (c !== 10 && c !== 13) continue;
      this.#line(buffer.slice(start, i));
      if (c === 13) {
        if (i + 1 === buffer.length) this.#skipLf = true; // a CRLF split across two chunks
        else if (buffer.charCodeAt(i + 1) === 10) i++;
      }
      start = i + 1;
    }
    this.#pending = buffer.slice(start);
  }

  #line(line) {
    if (line === '') {
      this.#dispatch();
      return;
    }
    if (line.startsWith(':')) return;
    const colon = line.indexOf(':');
    const field = colon < 0 ? line : line.slice(0, colon);
    let value = colon < 0 ? '' : line.slice(colon + 1);
    if (value.startsWith(' ')) value = value.slice(1);
    switch (field) {
      case 'event': this.#type = value; break;
      case 'data': this.#data += value + '\n'; break;
      case 'id': if (!value.includes('\0')) this.#lastEventId = value; break;
      case 'retry': if (/^\d+$/.test(value)) this.#onRetry(Number(value)); break;
      default: // ignored, as the specification says
    }
  }

  #dispatch() {
    if (this.#data === '') {
      this.#type = '';
      return;
    }
    const event = { type: this.#type || 'message', data: this.#data.slice(0, -1), lastEventId: this.#lastEventId };
    this.#data = '';
    this.#type = '';
    this.#onEvent(event);
  }
}
