// What the client makes of a stream, with a scripted fetch in place of Beckon: batches, repeats, resumes, ringing.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { BeckonClient, Ringing } from '../src/index.js';

const inFuture = seconds => new Date(Date.now() + seconds * 1000).toISOString();

function invitation(invitationId, state = 'RINGING', expiresAt = inFuture(30)) {
  return { invitationId, conferenceId: 'c', alias: 'c', from: { userId: 'a' }, to: { userId: 'b' }, callType: 'video_call', state,
    createdAt: new Date().toISOString(), expiresAt };
}

function sse(id, type, data) {
  return `id: ${id}\nevent: ${type}\ndata: ${JSON.stringify({ specversion: '1.0', id: 'e-' + id, source: 't', type, subject: 'b', time: '', data })}\n\n`;
}

/** A fetch whose n-th /events answer streams the n-th script (chunks, then the end of the stream). */
function scriptedFetch(scripts) {
  const requests = [];
  const fetch = async (url, init) => {
    const script = scripts[requests.length] ?? [];
    requests.push({ url, headers: init.headers });
    const encoder = new TextEncoder();
    const body = new ReadableStream({
      async start(controller) {
        for (const chunk of script) {
          if (typeof chunk === 'number') await sleep(chunk);
          else controller.enqueue(encoder.encode(chunk));
        }
        if (requests.length < scripts.length) controller.close(); // the last one stays open
      },
    });
    return new Response(body, { status: 200, headers: { 'Content-Type': 'text/event-stream' } });
  };
  return { fetch, requests };
}

/** Waits for a condition (the first fetch of a process alone can take a good part of a second). */
async function until(condition, what, timeoutMs = 5_000) {
  const deadline = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadline) throw new Error('timed out waiting for ' + what);
    await sleep(5);
  }
}

/** An event after the ones a test is about: once it is handed out, they have been too. */
const sentinel = n => sse(String(n), 'conference.ended', { conferenceId: 'sentinel' });

function client(fetch) {
  return new BeckonClient({ baseUrl: 'http://beckon.test/', token: 't', fetch, EventSource: undefined, reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
}

describe('the event stream of a client', () => {
  it('does not ring a call whose end comes in the same batch, and hands every other event out once', async () => {
    const { fetch } = scriptedFetch([
      [':\nid:-\n\n', sse('1', 'invitation.received', invitation('i1')) + sse('2', 'invitation.received', invitation('i2'))
        + sse('3', 'invitation.canceled', invitation('i1', 'CANCELED')) + sse('2', 'invitation.received', invitation('i2')) + sentinel(4)],
      [],
    ]);
    const beckon = client(fetch);
    const seen = [];
    beckon.on('*', event => seen.push([event.type, event.data.invitationId ?? event.data.conferenceId]));
    await until(() => seen.length >= 3, 'the events');
    beckon.close();
    assert.deepEqual(seen, [['invitation.received', 'i2'], ['invitation.canceled', 'i1'], ['conference.ended', 'sentinel']]);
  });

  it('never rings an invitation again once it has ended, even in a later batch', async () => {
    const { fetch } = scriptedFetch([[
      sse('1', 'invitation.accepted', invitation('i1', 'ACCEPTED')), 30, sse('2', 'invitation.received', invitation('i1')),
      sse('3', 'invitation.received', invitation('i3', 'EXPIRED')), sentinel(4),
    ], []]);
    const beckon = client(fetch);
    const seen = [];
    beckon.on('*', event => seen.push([event.type, event.data.invitationId ?? event.data.conferenceId]));
    await until(() => seen.some(([type]) => type === 'conference.ended'), 'the events');
    beckon.close();
    assert.deepEqual(seen, [['invitation.accepted', 'i1'], ['conference.ended', 'sentinel']]);
  });

  it('reconnects after the stream ends, sending the last id as Last-Event-ID and the token', async () => {
    const { fetch, requests } = scriptedFetch([[':\nid:-\n\n', sse('0:5-0', 'invitation.received', invitation('i1'))], [':\nid: 0:5-0\n\n']]);
    const beckon = client(fetch);
    const opened = [];
    beckon.on('open', () => opened.push(Date.now()));
    beckon.on('invitation.received', () => {});
    await until(() => opened.length === 2, 'the second connection');
    beckon.close();
    assert.equal(requests.length, 2);
    assert.equal(requests[0].url, 'http://beckon.test/events');
    assert.equal(requests[0].headers['Last-Event-ID'], undefined);
    assert.equal(requests[0].headers.Authorization, 'Bearer t');
    assert.equal(requests[1].headers['Last-Event-ID'], '0:5-0');
    assert.equal(opened.length, 2);
  });

  it('stops reconnecting once closed', async () => {
    const { fetch, requests } = scriptedFetch([[], [], [], []]);
    const beckon = client(fetch);
    beckon.on('invitation.received', () => {});
    await until(() => requests.length >= 2, 'a reconnect');
    beckon.close();
    const count = requests.length;
    await sleep(100);
    assert.equal(requests.length, count);
  });
});

describe('Ringing', () => {
  it('stops ringing a call when its expiresAt passes, even without an expired event', async () => {
    const { fetch } = scriptedFetch([[sse('1', 'invitation.received', invitation('i1', 'RINGING', inFuture(1)))], []]);
    const beckon = client(fetch);
    const changes = [];
    const ringing = new Ringing(beckon, calls => changes.push(calls.map(c => c.invitationId)));
    await until(() => changes.length === 2, 'the call to ring and stop');
    assert.deepEqual(changes, [['i1'], []]);
    ringing.stop();
    beckon.close();
  });

  it('keeps at most its limit of calls, dropping the oldest', async () => {
    const { fetch } = scriptedFetch([[[1, 2, 3].map(n => sse(String(n), 'invitation.received', invitation('i' + n))).join('')], []]);
    const beckon = client(fetch);
    let changes = 0;
    const ringing = new Ringing(beckon, () => changes++, { limit: 2 });
    await until(() => changes === 3, 'three rings');
    assert.deepEqual(ringing.invitations.map(i => i.invitationId), ['i2', 'i3']);
    ringing.stop();
    beckon.close();
  });
});

/** Stands in for a browser's EventSource: the test delivers messages and closes it. */
class FakeEventSource {
  static instances = [];
  readyState = 0;
  listeners = new Map();
  constructor(url) {
    this.url = url;
    FakeEventSource.instances.push(this);
  }
  addEventListener(type, listener) {
    this.listeners.set(type, listener);
  }
  deliver(type, lastEventId, data) {
    this.listeners.get(type)?.({ data: JSON.stringify({ id: 'e-' + lastEventId, type, data }), lastEventId });
  }
  close() {
    this.readyState = 2;
  }
}

describe('the event stream in a browser', () => {
  it('uses EventSource with the token in the query, and carries on over fetch with Last-Event-ID when it gives up', async () => {
    const { fetch, requests } = scriptedFetch([[sse('0:9-0', 'invitation.canceled', invitation('i1', 'CANCELED'))]]);
    const beckon = new BeckonClient({ baseUrl: 'https://beckon.test', token: 'tok en', fetch, EventSource: FakeEventSource,
      reconnect: { initialDelayMs: 10, maxDelayMs: 20 } });
    const seen = [];
    beckon.on('*', event => seen.push([event.type, event.data.invitationId]));
    await until(() => FakeEventSource.instances.length === 1, 'an EventSource');
    const source = FakeEventSource.instances[0];
    assert.equal(source.url, 'https://beckon.test/events?access_token=tok%20en');

    source.onopen();
    source.deliver('invitation.received', '0:8-0', invitation('i1'));
    await until(() => seen.length === 1, 'the ring');
    source.readyState = 2; // refused on its own reconnect (an expired token, say): it will not try again
    source.onerror();

    await until(() => seen.length === 2, 'the cancel, over fetch');
    beckon.close();
    assert.equal(FakeEventSource.instances.length, 1);
    assert.equal(requests.length, 1);
    assert.equal(requests[0].headers['Last-Event-ID'], '0:8-0');
    assert.equal(requests[0].headers.Authorization, 'Bearer tok en');
    assert.deepEqual(seen, [['invitation.received', 'i1'], ['invitation.canceled', 'i1']]);
  });
});
