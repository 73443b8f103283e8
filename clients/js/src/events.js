// The one /events stream of a client: connects on first use, resumes after a drop, hands CloudEvents out.

import { BeckonError } from './errors.js';
import { BoundedSet } from './bounded.js';
import { SseParser } from './sse.js';

export const EVENT_TYPES = ['invitation.received', 'invitation.ringing', 'invitation.accepted', 'invitation.declined',
  'invitation.canceled', 'invitation.expired', 'participant.added', 'participant.updated', 'conference.ended'];

const TERMINAL_TYPES = new Set(['invitation.accepted', 'invitation.declined', 'invitation.canceled', 'invitation.expired']);
const TERMINAL_STATES = new Set(['ACCEPTED', 'DECLINED', 'CANCELED', 'EXPIRED']);

/**
 * Transports: `fetch` reads the stream with fetch and sends `Authorization` and, on every
 * reconnect, `Last-Event-ID` itself (Node, and browsers when asked); `eventsource` uses the
 * browser's EventSource with the token as `?access_token=`, which resumes with Last-Event-ID on
 * its own reconnects. An EventSource cannot send Last-Event-ID when it is created, so when one
 * gives up for good (its token expired, say) the stream carries on over fetch, which can: a
 * fresh token and the last id, and nothing of the gap is lost.
 */
export class EventStream {
  #options;
  #emit;
  #tokens;
  #closed = false;
  #running = false;
  #abort = null;
  #source = null;
  #eventSourceGaveUp = false;
  #sourceTypes = new Set();
  #attempt = 0;
  #retryMs;
  #timer = null;
  #watchdog = null;
  #lastEventId = '';
  #batch = [];
  #flushScheduled = false;
  #seen;
  #ended;

  /** `tokens(force)` resolves to a token; `emit(type, payload)` hands events and stream news to the client. */
  constructor(options, tokens, emit) {
    this.#options = options;
    this.#tokens = tokens;
    this.#emit = emit;
    this.#retryMs = options.reconnect.initialDelayMs;
    this.#seen = new BoundedSet(options.rememberedEvents);
    this.#ended = new BoundedSet(options.rememberedEvents);
  }

  get lastEventId() {
    return this.#lastEventId;
  }

  get transport() {
    const wanted = this.#options.transport;
    if (wanted === 'fetch' || this.#eventSourceGaveUp) return 'fetch';
    if (wanted === 'eventsource') return wanted;
    return this.#options.EventSource ? 'eventsource' : 'fetch';
  }

  /** Opens the stream unless it is open; the client calls it on its first `on`. */
  start() {
    if (this.#running || this.#closed) return;
    this.#running = true;
    this.#connect();
  }

  /** Makes sure the browser's EventSource dispatches a type it was not asked for yet. */
  listen(type) {
    if (this.#source && !this.#sourceTypes.has(type) && type.includes('.')) this.#addSourceType(type);
  }

  close() {
    this.#closed = true;
    clearTimeout(this.#timer);
    clearTimeout(this.#watchdog);
    this.#abort?.abort();
    this.#source?.close();
    this.#source = null;
  }

  // ---- connecting ---------------------------------------------------------------------------

  async #connect() {
    if (this.#closed) return;
    if (this.transport === 'eventsource') await this.#openEventSource();
    else await this.#openFetch();
  }

  async #openFetch() {
    let response;
    const abort = new AbortController();
    this.#abort = abort;
    try {
      response = await this.#request(abort, false);
      if (response.status === 401 && this.#options.tokenIsFunction) {
        await response.body?.cancel();
        response = await this.#request(abort, true);
      }
    } catch (error) {
      if (!this.#closed) this.#dropped(BeckonError.network(error));
      return;
    }
    if (!response.ok) {
      const error = BeckonError.fromResponse(response, await response.text().catch(() => ''));
      // a position Beckon no longer knows: start from now rather than never again
      if (response.status === 400 && this.#lastEventId) this.#lastEventId = '';
      this.#dropped(error);
      return;
    }
    this.#opened();
    const parser = new SseParser(message => this.#message(message, parser.lastEventId), ms => { this.#retryMs = ms; });
    const reader = response.body.getReader();
    const decoder = new TextDecoder();
    try {
      this.#armWatchdog(abort);
      for (;;) {
        const { value, done } = await reader.read();
        if (done) break;
        this.#armWatchdog(abort);
        parser.push(decoder.decode(value, { stream: true }));
        if (parser.lastEventId) this.#lastEventId = parser.lastEventId;
      }
      if (!this.#closed) this.#dropped(new BeckonError({ status: 0, code: 'stream_ended', message: 'Beckon ended the event stream.' }));
    } catch (error) {
      if (!this.#closed) this.#dropped(BeckonError.network(error));
    } finally {
      clearTimeout(this.#watchdog);
    }
  }

  async #request(abort, freshToken) {
    const headers = { 'Accept': 'text/event-stream', 'Authorization': 'Bearer ' + await this.#tokens(freshToken) };
    if (this.#lastEventId) headers['Last-Event-ID'] = this.#lastEventId;
    return this.#options.fetch(this.#options.baseUrl + '/events', { headers, signal: abort.signal, cache: 'no-store' });
  }

  /** A connection that delivers nothing, not even a heartbeat, is dead even if TCP has not noticed. */
  #armWatchdog(abort) {
    clearTimeout(this.#watchdog);
    this.#watchdog = setTimeout(() => abort.abort(new Error('no heartbeat from Beckon')), this.#options.heartbeatTimeoutMs);
  }

  async #openEventSource() {
    let token;
    try {
      token = await this.#tokens(this.#attempt > 0);
    } catch (error) {
      this.#dropped(BeckonError.network(error));
      return;
    }
    if (this.#closed) return;
    const source = new this.#options.EventSource(this.#options.baseUrl + '/events?access_token=' + encodeURIComponent(token));
    this.#source = source;
    this.#sourceTypes = new Set();
    source.onopen = () => this.#opened();
    source.onerror = () => {
      if (source.readyState === 2 /* CLOSED: it will not reconnect by itself */) {
        this.#source = null;
        this.#eventSourceGaveUp = true;
        this.#dropped(new BeckonError({ status: 0, code: 'stream_closed', message: 'The event stream was refused or ended; reconnecting.' }));
      } else {
        this.#emit('error', new BeckonError({ status: 0, code: 'network', message: 'The event stream dropped; the browser reconnects.' }));
      }
    };
    for (const type of new Set([...EVENT_TYPES, ...this.#options.types()])) this.#addSourceType(type);
  }

  #addSourceType(type) {
    this.#sourceTypes.add(type);
    this.#source.addEventListener(type, message => this.#message({ type, data: message.data }, message.lastEventId));
  }

  #opened() {
    this.#attempt = 0;
    this.#emit('open', undefined);
  }

  #dropped(error) {
    if (this.#closed) return;
    this.#emit('error', error);
    // exponential backoff with full jitter, so a restarted Beckon is not hit by every client at once
    const { initialDelayMs, maxDelayMs } = this.#options.reconnect;
    const ceiling = Math.min(maxDelayMs, Math.max(this.#retryMs, initialDelayMs) * 2 ** this.#attempt);
    this.#attempt++;
    const delay = ceiling / 2 + Math.random() * ceiling / 2;
    this.#timer = setTimeout(() => this.#connect(), delay);
  }

  // ---- delivering ---------------------------------------------------------------------------

  #message(message, lastEventId) {
    if (lastEventId) this.#lastEventId = lastEventId;
    let event;
    try {
      event = JSON.parse(message.data);
    } catch {
      return; // not a CloudEvent; nothing Beckon sends
    }
    this.#batch.push(event);
    if (!this.#flushScheduled) {
      this.#flushScheduled = true;
      // what has already arrived is read before this runs, so a replayed batch is seen whole
      setTimeout(() => this.#flush(), 0);
    }
  }

  #flush() {
    this.#flushScheduled = false;
    const batch = this.#batch;
    this.#batch = [];
    if (this.#closed) return;
    for (const event of batch) {
      if (TERMINAL_TYPES.has(event.type) && event.data?.invitationId) this.#ended.add(event.data.invitationId);
    }
    for (const event of batch) {
      if (event.id && this.#seen.has(event.id)) continue;
      if (event.id) this.#seen.add(event.id);
      if (event.type === 'invitation.received' && this.#endedAlready(event.data)) continue;
      this.#emit(event.type, event);
    }
  }

  /** An invitation answered elsewhere, cancelled or expired is never surfaced as a fresh ring. */
  #endedAlready(invitation) {
    return !invitation || this.#ended.has(invitation.invitationId) || TERMINAL_STATES.has(invitation.state);
  }
}
