// @beckon/client: call Beckon's functions and follow its events, in browsers and Node 20+.

export { BeckonClient, FUNCTIONS } from './client.js';
export { BeckonError } from './errors.js';
export { EVENT_TYPES } from './events.js';
export { Ringing } from './ringing.js';
export { SseParser } from './sse.js';
