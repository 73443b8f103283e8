// The Server-Sent Events parser the fetch transport uses, against the WHATWG event-stream rules.

import assert from 'node:assert/strict';
import { describe, it } from 'node:test';

import { SseParser } from '../src/sse.js';

function parse(...chunks) {
  const events = [];
  const retries = [];
  const parser = new SseParser(event => events.push(event), ms => retries.push(ms));
  for (const chunk of chunks) parser.push(chunk);
  return { events, retries, lastEventId: parser.lastEventId };
}

describe('SseParser', () => {
  it('dispatches an event at a blank line, with its type, data and id', () => {
    const { events } = parse('event: invitation.received\nid: 0:1-0\ndata: {"a":1}\n\n');
    assert.deepEqual(events, [{ type: 'invitation.received', data: '{"a":1}', lastEventId: '0:1-0' }]);
  });

  it('joins data lines with a newline and defaults the type to message', () => {
    const { events } = parse('data: one\ndata:two\ndata\n\n');
    assert.deepEqual(events, [{ type: 'message', data: 'one\ntwo\n', lastEventId: '' }]);
  });

  it('accepts CRLF, CR and LF line ends, also split across chunks', () => {
    const { events } = parse('data: a\r', '\n\r', '\ndata: b\rdata: c\r\r', 'data: d\n', '\n');
    assert.deepEqual(events.map(e => e.data), ['a', 'b\nc', 'd']);
  });

  it('keeps a line that arrives in pieces whole', () => {
    const { events } = parse('ev', 'ent: conference.en', 'ded\nda', 'ta: {"x"', ':2}\n', '\n');
    assert.deepEqual(events, [{ type: 'conference.ended', data: '{"x":2}', lastEventId: '' }]);
  });

  it('ignores comments and unknown fields, and strips only one leading space', () => {
    const { events } = parse(':heartbeat\n\nfoo: bar\ndata:  two spaces\n\n');
    assert.deepEqual(events.map(e => e.data), [' two spaces']);
  });

  it('remembers an id sent without data, without dispatching anything', () => {
    const { events, lastEventId } = parse(':\nid:-\n\n');
    assert.deepEqual(events, []);
    assert.equal(lastEventId, '-');
  });

  it('keeps the id for the events after it and ignores an id containing NUL', () => {
    const { events } = parse('id: 7\ndata: a\n\ndata: b\n\nid: 8\u0000\ndata: c\n\n');
    assert.deepEqual(events.map(e => e.lastEventId), ['7', '7', '7']);
  });

  it('reports a numeric retry and ignores any other', () => {
    assert.deepEqual(parse('retry: 2500\nretry: soon\n\n').retries, [2500]);
  });

  it('drops a byte order mark at the start, and an event not ended by a blank line', () => {
    const { events } = parse('\ufeffdata: a\n\ndata: unfinished\n');
    assert.deepEqual(events.map(e => e.data), ['a']);
  });

  it('resets the type after each event', () => {
    const { events } = parse('event: x\ndata: 1\n\ndata: 2\n\n');
    assert.deepEqual(events.map(e => e.type), ['x', 'message']);
  });
});
