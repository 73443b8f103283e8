// @beckon/client against the packaged Beckon (production profile) and a real Redis.

import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { setTimeout as sleep } from 'node:timers/promises';

import { BeckonClient, BeckonError, FUNCTIONS, Ringing } from '../src/index.js';
import { functions, interfaces, unions } from '../testing/declarations.js';
import { startBeckon, startCuttableProxy, startRedis } from '../testing/beckon.js';
import { online, record, uniqueUser } from '../testing/recorder.js';
import { expiredToken, userToken } from '../testing/tokens.js';

const INVITES_PER_MINUTE = 6;

let redis;
let beckon;
const clients = [];

function clientFor(userId, options = {}) {
  const client = new BeckonClient({ baseUrl: beckon.baseUrl, token: userToken(userId), ...options });
  clients.push(client);
  return client;
}

/** Two users with their event streams open: the caller and the one they ring. */
async function caller() {
  const aliceId = uniqueUser('alice');
  const bobId = uniqueUser('bob');
  const alice = clientFor(aliceId);
  const bob = clientFor(bobId);
  const aliceEvents = record(alice);
  const bobEvents = record(bob);
  await Promise.all([online(alice, aliceId), online(bob, bobId)]);
  return { aliceId, bobId, alice, bob, aliceEvents, bobEvents };
}

before(async () => {
  redis = await startRedis();
  beckon = await startBeckon(redis.url, { BECKON_RATE_LIMIT_INVITES_PER_MINUTE: String(INVITES_PER_MINUTE) });
});

after(async () => {
  for (const client of clients) client.close();
  await beckon?.stop();
  await redis?.stop();
});

describe('a call', () => {
  it('rings the callee, and an accept reaches both sides with the access token', async () => {
    const { bobId, alice, bob, aliceEvents, bobEvents } = await caller();

    const conference = await alice.createConference({ protected: true, participants: [{ userId: bobId }] });
    const invitationId = conference.invitations[0].invitationId;
    const received = await bobEvents.waitFor(e => e.type === 'invitation.received' && e.data.invitationId === invitationId, 'invitation.received');
    assert.equal(received.specversion, '1.0');
    assert.equal(received.subject, bobId);
    assert.equal(received.data.conferenceId, conference.conferenceId);
    await aliceEvents.waitFor(e => e.type === 'invitation.ringing' && e.data.invitationId === invitationId, 'invitation.ringing');

    const accepted = await bob.accept(invitationId);
    assert.equal(accepted.state, 'ACCEPTED');
    assert.match(accepted.accessToken, /^[\w-]+\.[\w-]+\.[\w-]+$/);

    for (const [who, events] of [['caller', aliceEvents], ['callee', bobEvents]]) {
      const event = await events.waitFor(e => e.type === 'invitation.accepted' && e.data.invitationId === invitationId, `invitation.accepted for the ${who}`);
      assert.equal(event.data.state, 'ACCEPTED');
    }
    const seen = await bob.getConference({ conferenceId: conference.conferenceId });
    assert.equal(seen.participants.find(p => p.userId === bobId).status, 'CONNECTED');
  });

  it('tells the caller why the callee declined', async () => {
    const { bobId, alice, bob, aliceEvents, bobEvents } = await caller();
    const { invitations: [invitation] } = await alice.createConference({ participants: [{ userId: bobId }] });
    await bobEvents.waitFor(e => e.type === 'invitation.received' && e.data.invitationId === invitation.invitationId, 'invitation.received');

    const declined = await bob.decline(invitation.invitationId, { reason: 'busy', message: 'In a meeting, call you at 3' });
    assert.equal(declined.state, 'DECLINED');

    const event = await aliceEvents.waitFor(e => e.type === 'invitation.declined' && e.data.invitationId === invitation.invitationId, 'invitation.declined');
    assert.equal(event.data.reason, 'busy');
    assert.equal(event.data.responseMessage, 'In a meeting, call you at 3');
  });

  it('stops ringing on the callee when the caller cancels', async () => {
    const { bobId, alice, bob, bobEvents } = await caller();
    const changes = [];
    const ringing = new Ringing(bob, invitations => changes.push(invitations.map(i => i.invitationId)));
    try {
      const { invitations: [invitation] } = await alice.createConference({ participants: [{ userId: bobId }] });
      await bobEvents.waitFor(e => e.type === 'invitation.received' && e.data.invitationId === invitation.invitationId, 'invitation.received');
      await waitUntil(() => ringing.has(invitation.invitationId), 'the call ringing');

      const canceled = await alice.cancel({ invitationId: invitation.invitationId });
      assert.equal(canceled.state, 'CANCELED');

      await bobEvents.waitFor(e => e.type === 'invitation.canceled' && e.data.invitationId === invitation.invitationId, 'invitation.canceled');
      await waitUntil(() => !ringing.has(invitation.invitationId), 'the call to stop ringing');
      assert.deepEqual(changes, [[invitation.invitationId], []]);
    } finally {
      ringing.stop();
    }
  });

  it('becomes a missed call when nobody answers before the ring timeout', async () => {
    const { bobId, alice, bob, aliceEvents, bobEvents } = await caller();
    const ringing = new Ringing(bob);
    try {
      const { invitations: [invitation] } = await alice.createConference({ settings: { ringTimeoutSeconds: 5 }, participants: [{ userId: bobId }] });
      await waitUntil(() => ringing.has(invitation.invitationId), 'the call ringing');

      for (const events of [aliceEvents, bobEvents]) {
        const expired = await events.waitFor(e => e.type === 'invitation.expired' && e.data.invitationId === invitation.invitationId,
          'invitation.expired', 8_000);
        assert.equal(expired.data.state, 'EXPIRED');
        const late = Date.now() - Date.parse(invitation.expiresAt);
        assert.ok(late < 2_000, `expired ${late} ms after expiresAt`);
      }
      assert.equal(ringing.has(invitation.invitationId), false);
    } finally {
      ringing.stop();
    }
  });
});

describe('the event stream', () => {
  it('resumes after its connection is killed, with nothing lost or doubled, and an ended call not rung', async () => {
    const aliceId = uniqueUser('alice');
    const carolId = uniqueUser('carol');
    const alice = clientFor(aliceId);
    const proxy = await startCuttableProxy(beckon.baseUrl);
    try {
      // one of carol's devices goes through a network that drops; the other stays connected
      const dropping = new BeckonClient({ baseUrl: proxy.baseUrl, token: userToken(carolId), reconnect: { initialDelayMs: 200, maxDelayMs: 1_000 } });
      clients.push(dropping);
      const steady = clientFor(carolId);
      const droppingEvents = record(dropping);
      const steadyEvents = record(steady);
      const opens = [];
      dropping.on('open', () => opens.push(Date.now()));
      await online(alice, carolId, 2);
      const { invitations: [first] } = await alice.createConference({ participants: [{ userId: carolId }] });
      await droppingEvents.waitFor(e => e.type === 'invitation.received' && e.data.invitationId === first.invitationId, 'the first call');
      const positionBefore = dropping.lastEventId;

      proxy.cut();
      await online(alice, carolId, 1).then(() => waitUntilAsync(async () =>
        (await alice.presence({ userIds: [carolId] })).presence[carolId].sessions === 1, 'the dropped session to end'));
      const { invitations: [second] } = await alice.createConference({ participants: [{ userId: carolId }] });
      const { invitations: [third] } = await alice.createConference({ participants: [{ userId: carolId }] });
      await alice.cancel({ invitationId: third.invitationId });
      await steadyEvents.waitFor(e => e.type === 'invitation.canceled' && e.data.invitationId === third.invitationId, 'the cancel, on the steady device');
      proxy.restore();

      await droppingEvents.waitFor(e => e.type === 'invitation.canceled' && e.data.invitationId === third.invitationId, 'the cancel, after the resume');
      await sleep(300);
      assert.ok(opens.length >= 2, 'the stream opened again');
      assert.notEqual(dropping.lastEventId, positionBefore);

      const ids = events => events.map(e => e.id);
      assert.equal(new Set(ids(droppingEvents.events)).size, droppingEvents.events.length, 'an event delivered twice');
      const rang = droppingEvents.ofType('invitation.received').map(e => e.data.invitationId);
      assert.deepEqual(rang, [first.invitationId, second.invitationId], 'the canceled call must not ring after the resume');
      // everything the steady device saw, the dropping one saw too (but the ring of the call that ended meanwhile)
      const expected = steadyEvents.events.filter(e => !(e.type === 'invitation.received' && e.data.invitationId === third.invitationId));
      assert.deepEqual(ids(droppingEvents.events), ids(expected));
    } finally {
      await proxy.close();
    }
  });

  it('opens with a fresh token when the first one has expired', async () => {
    const userId = uniqueUser('dave');
    let calls = 0;
    const client = new BeckonClient({ baseUrl: beckon.baseUrl, token: async () => (++calls === 1 ? expiredToken(userId) : userToken(userId)) });
    clients.push(client);
    const opened = new Promise(resolve => client.on('open', resolve));
    await opened;
    assert.equal(calls, 2);
  });
});

describe('tokens and errors', () => {
  it('asks the token function again after a 401 and retries the call once', async () => {
    const userId = uniqueUser('erin');
    const issued = [];
    const client = new BeckonClient({
      baseUrl: beckon.baseUrl,
      token: async () => {
        const token = issued.length === 0 ? expiredToken(userId) : userToken(userId);
        issued.push(token);
        return token;
      },
    });
    const answer = await client.presence({ userIds: [userId] });
    assert.deepEqual(answer, { presence: { [userId]: { online: false, sessions: 0 } } });
    assert.equal(issued.length, 2);
    // the fresh token is kept: the next call does not ask again
    await client.presence({ userIds: [userId] });
    assert.equal(issued.length, 2);
  });

  it('rejects with a 401 BeckonError when even the fresh token is refused', async () => {
    const userId = uniqueUser('erin');
    let asked = 0;
    const client = new BeckonClient({ baseUrl: beckon.baseUrl, token: () => { asked++; return expiredToken(userId); } });
    const error = await client.presence({ userIds: [userId] }).catch(e => e);
    assert.ok(error instanceof BeckonError);
    assert.equal(error.status, 401);
    assert.equal(error.code, 'unauthenticated');
    assert.equal(asked, 2);
  });

  it('rejects an answer to an ended call with a 409 carrying its state', async () => {
    const { bobId, alice, bob, bobEvents } = await caller();
    const { invitations: [invitation] } = await alice.createConference({ participants: [{ userId: bobId }] });
    await alice.cancel({ invitationId: invitation.invitationId });

    const error = await bob.accept(invitation.invitationId).catch(e => e);
    assert.ok(error instanceof BeckonError, String(error));
    assert.equal(error.status, 409);
    assert.equal(error.code, 'conflict');
    assert.equal(error.state, 'CANCELED');
    assert.match(error.message, /CANCELED/);
    await bobEvents.waitFor(e => e.type === 'invitation.canceled' && e.data.invitationId === invitation.invitationId, 'invitation.canceled');
  });

  it('rejects an invalid body with a 400 naming the field', async () => {
    const client = clientFor(uniqueUser('frank'));
    const error = await client.listInvitations({ direction: 'sideways' }).catch(e => e);
    assert.ok(error instanceof BeckonError);
    assert.equal(error.status, 400);
    assert.equal(error.code, 'invalid_request');
    assert.match(error.message, /direction/);
  });

  it('rejects invitations over the rate limit with a 429 and when to retry', async () => {
    const userId = uniqueUser('grace');
    const client = clientFor(userId);
    let error;
    for (let i = 0; i <= INVITES_PER_MINUTE && !error; i++) {
      error = await client.createConference({ participants: [{ userId: uniqueUser('callee') }] }).then(() => undefined, e => e);
    }
    assert.ok(error instanceof BeckonError, 'no invitation was refused');
    assert.equal(error.status, 429);
    assert.equal(error.code, 'rate_limited');
    assert.equal(typeof error.retryAfter, 'number');
    assert.ok(error.retryAfter > 0 && error.retryAfter <= 60, `retryAfter ${error.retryAfter}`);
  });

  it('rejects with a network BeckonError when Beckon cannot be reached', async () => {
    const client = new BeckonClient({ baseUrl: 'http://127.0.0.1:9', token: 'x' });
    const error = await client.presence({ userIds: ['x'] }).catch(e => e);
    assert.ok(error instanceof BeckonError);
    assert.equal(error.status, 0);
    assert.equal(error.code, 'network');
  });
});

async function waitUntil(condition, what, timeoutMs = 10_000) {
  return waitUntilAsync(async () => condition(), what, timeoutMs);
}

async function waitUntilAsync(condition, what, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  while (!(await condition())) {
    if (Date.now() > deadline) throw new Error(`timed out waiting for ${what}`);
    await sleep(20);
  }
}

describe('the type declarations', () => {
  // declared beyond the functions' document: `online` is what webhooks add to invitation.received
  const AHEAD_OF_THE_DOCUMENT = {
    functions: [],
    properties: ['Invitation.online'],
  };
  let openapi;

  before(async () => {
    const response = await fetch(beckon.baseUrl + '/q/openapi?format=json');
    assert.equal(response.status, 200);
    openapi = await response.json();
  });

  const schemaName = ref => ref.replace('#/components/schemas/', '');
  const jsonSchemaOf = content => content?.['application/json']?.schema?.$ref;

  it('declare a method for every function Beckon serves, with its request and answer types', () => {
    const declared = functions();
    const served = Object.entries(openapi.paths).filter(([, path]) => path.post).map(([path]) => path.slice(1));
    assert.ok(served.length >= 8, `only ${served.length} functions in the document`);
    for (const name of served) {
      assert.ok(FUNCTIONS.includes(name), `FUNCTIONS lacks ${name}`);
      assert.equal(typeof BeckonClient.prototype[name], 'function', `BeckonClient has no method ${name}`);
      assert.ok(declared.has(name), `index.d.ts Functions lacks ${name}`);
      const post = openapi.paths['/' + name].post;
      const [request, answer] = declared.get(name);
      assert.equal(request, schemaName(jsonSchemaOf(post.requestBody.content)), `request type of ${name}`);
      assert.equal(answer, schemaName(jsonSchemaOf(post.responses['200'].content)), `answer type of ${name}`);
    }
    for (const name of FUNCTIONS) {
      assert.ok(served.includes(name) || AHEAD_OF_THE_DOCUMENT.functions.includes(name), `${name} is neither served nor expected`);
      assert.ok(declared.has(name), `index.d.ts Functions lacks ${name}`);
    }
  });

  it('declare every field of every schema, optional exactly where the document says so', () => {
    const declared = interfaces();
    const ahead = new Set(AHEAD_OF_THE_DOCUMENT.properties);
    for (const [name, schema] of Object.entries(openapi.components.schemas)) {
      if (schema.type !== 'object') continue;
      const declaredName = name === 'Error' ? 'ErrorBody' : name;
      const properties = declared.get(declaredName);
      assert.ok(properties, `index.d.ts has no interface ${declaredName}`);
      const required = new Set(schema.required ?? []);
      const isRequest = name.endsWith('Request') || name === 'ConferenceRef' || name === 'Invitee' || name === 'Settings';
      for (const field of Object.keys(schema.properties ?? {})) {
        assert.ok(properties.has(field), `${declaredName}.${field} is not declared`);
        if (required.has(field)) assert.equal(properties.get(field).optional, false, `${declaredName}.${field} is required`);
        else if (isRequest) assert.equal(properties.get(field).optional, true, `${declaredName}.${field} is optional in a request`);
      }
      for (const field of properties.keys()) {
        assert.ok(field in (schema.properties ?? {}) || ahead.has(`${declaredName}.${field}`),
          `${declaredName}.${field} is declared but not in the document`);
      }
    }
  });

  it('declare the same values for the enumerations', () => {
    const declared = unions();
    for (const [name, schema] of Object.entries(openapi.components.schemas)) {
      if (!schema.enum) continue;
      assert.deepEqual(declared.get(name), schema.enum, `type ${name}`);
    }
    assert.deepEqual(declared.get('ErrorCode'), openapi.components.schemas.Error.properties.error.enum);
    assert.deepEqual(declared.get('InvitationState'), openapi.components.schemas.Invitation.properties.state.enum);
    assert.deepEqual(declared.get('DeclineReason'), openapi.components.schemas.Invitation.properties.reason.enum);
    assert.deepEqual(declared.get('ParticipantStatus'), openapi.components.schemas.Participant.properties.status.enum);
  });
});
