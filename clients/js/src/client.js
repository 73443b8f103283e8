// BeckonClient: one method per Beckon function, and the caller's events from one /events stream.

import { BeckonError } from './errors.js';
import { EventStream } from './events.js';

/** Every function Beckon serves as `POST /<name>`, the method of the same name here. */
export const FUNCTIONS = ['createConference', 'invite', 'respond', 'cancel', 'leave', 'getConference', 'listInvitations',
  'presence', 'registerDevice', 'unregisterDevice', 'listDevices'];

const DEFAULTS = {
  transport: 'auto',
  reconnect: { initialDelayMs: 500, maxDelayMs: 30_000 },
  heartbeatTimeoutMs: 45_000,
  rememberedEvents: 1000,
};

export class BeckonClient {
  #baseUrl;
  #token;
  #tokenPromise = null;
  #fetch;
  #handlers = new Map();
  #stream;

  /**
   * @param options.baseUrl where Beckon is served, e.g. `https://beckon.example.com`
   * @param options.token a token, or a function (may be async) that returns one; a function is
   *   called again after a 401, and the call retried once with what it returns
   */
  constructor({ baseUrl, token, fetch = globalThis.fetch, EventSource = globalThis.EventSource, transport, reconnect,
    heartbeatTimeoutMs, rememberedEvents } = {}) {
    if (typeof baseUrl !== 'string') throw new TypeError('baseUrl is required, e.g. "https://beckon.example.com"');
    if (typeof token !== 'string' && typeof token !== 'function') throw new TypeError('token is required: a string or a function returning one');
    if (typeof fetch !== 'function') throw new TypeError('no fetch in this runtime: pass one as options.fetch');
    this.#baseUrl = baseUrl.replace(/\/+$/, '');
    this.#token = token;
    this.#fetch = fetch.bind(globalThis);
    const options = {
      baseUrl: this.#baseUrl,
      fetch: this.#fetch,
      EventSource,
      transport: transport ?? DEFAULTS.transport,
      reconnect: { ...DEFAULTS.reconnect, ...reconnect },
      heartbeatTimeoutMs: heartbeatTimeoutMs ?? DEFAULTS.heartbeatTimeoutMs,
      rememberedEvents: rememberedEvents ?? DEFAULTS.rememberedEvents,
      tokenIsFunction: typeof token === 'function',
      types: () => this.#handlers.keys(),
    };
    if (!['auto', 'fetch', 'eventsource'].includes(options.transport)) throw new TypeError('transport is "auto", "fetch" or "eventsource"');
    if (options.transport === 'eventsource' && !EventSource) throw new TypeError('no EventSource in this runtime');
    this.#stream = new EventStream(options, fresh => this.#currentToken(fresh), (type, payload) => this.#emit(type, payload));
  }

  // ---- functions ----------------------------------------------------------------------------

  createConference(body = {}) { return this.call('createConference', body); }
  invite(body) { return this.call('invite', body); }
  respond(body) { return this.call('respond', body); }
  cancel(body) { return this.call('cancel', body); }
  leave(body) { return this.call('leave', body); }
  getConference(body) { return this.call('getConference', body); }
  listInvitations(body) { return this.call('listInvitations', body); }
  presence(body) { return this.call('presence', body); }
  registerDevice(body) { return this.call('registerDevice', body); }
  unregisterDevice(body) { return this.call('unregisterDevice', body); }
  listDevices(body = {}) { return this.call('listDevices', body); }

  /** The invitee picks up; the answer carries the conference access token when there is one. */
  accept(invitationId) {
    return this.respond({ invitationId, action: 'accept' });
  }

  /** The invitee declines; `reason` is "busy", "declined" (Beckon's default) or "unavailable". */
  decline(invitationId, { reason, message } = {}) {
    const body = { invitationId, action: 'decline' };
    if (reason !== undefined) body.reason = reason;
    if (message !== undefined) body.message = message;
    return this.respond(body);
  }

  /** `POST /<name>` with `body`; resolves to the answer, rejects with a BeckonError. */
  async call(name, body) {
    const payload = JSON.stringify(body);
    for (let attempt = 0; ; attempt++) {
      const token = await this.#currentToken(attempt > 0);
      let response;
      let text;
      try {
        response = await this.#fetch(this.#baseUrl + '/' + name, {
          method: 'POST',
          headers: { 'Authorization': 'Bearer ' + token, 'Content-Type': 'application/json' },
          body: payload,
        });
        text = await response.text();
      } catch (error) {
        throw BeckonError.network(error);
      }
      if (response.status === 401 && attempt === 0 && typeof this.#token === 'function') continue;
      if (!response.ok) throw BeckonError.fromResponse(response, text);
      return text ? JSON.parse(text) : null;
    }
  }

  async #currentToken(fresh) {
    if (typeof this.#token === 'string') return this.#token;
    if (fresh || this.#tokenPromise === null) {
      const pending = Promise.resolve().then(() => this.#token());
      this.#tokenPromise = pending;
      // a failed look-up is not kept: the next call asks again
      pending.catch(() => { if (this.#tokenPromise === pending) this.#tokenPromise = null; });
    }
    const token = await this.#tokenPromise;
    if (typeof token !== 'string' || token === '') throw new TypeError('the token function returned no token');
    return token;
  }

  // ---- events -------------------------------------------------------------------------------

  /**
   * Calls `handler(cloudEvent)` for each event of `type` (`invitation.received`, …, or `*` for
   * all); the first call opens the stream. `open` and `error` report the stream itself.
   */
  on(type, handler) {
    if (typeof handler !== 'function') throw new TypeError('handler must be a function');
    if (!this.#handlers.has(type)) this.#handlers.set(type, new Set());
    this.#handlers.get(type).add(handler);
    this.#stream.listen(type);
    this.#stream.start();
    return this;
  }

  off(type, handler) {
    this.#handlers.get(type)?.delete(handler);
    return this;
  }

  /** The SSE id of the last event received: where the stream resumes. */
  get lastEventId() {
    return this.#stream.lastEventId;
  }

  /** Ends the stream for good; the functions keep working. */
  close() {
    this.#stream.close();
  }

  #emit(type, payload) {
    const targets = [...(this.#handlers.get(type) ?? [])];
    if (type !== 'open' && type !== 'error') targets.push(...(this.#handlers.get('*') ?? []));
    for (const handler of targets) {
      try {
        handler(payload);
      } catch (error) {
        // one failing handler must not keep events from the others
        if (typeof globalThis.reportError === 'function') globalThis.reportError(error);
        else console.error(error);
      }
    }
  }
}
