// Records what a client's event handlers receive, and waits for what a test expects.

import { setTimeout as sleep } from 'node:timers/promises';

export function record(client, type = '*') {
  const events = [];
  client.on(type, event => events.push(event));
  return {
    events,
    ofType: t => events.filter(event => event.type === t),
    async waitFor(predicate, what, timeoutMs = 10_000) {
      const deadline = Date.now() + timeoutMs;
      for (;;) {
        const found = events.find(predicate);
        if (found) return found;
        if (Date.now() > deadline) {
          throw new Error(`no ${what} within ${timeoutMs} ms; received: ${JSON.stringify(events.map(e => [e.type, e.data?.invitationId]))}`);
        }
        await sleep(20);
      }
    },
  };
}

/** Resolves once `userId` has `sessions` open streams, as Beckon's presence sees it. */
export async function online(client, userId, sessions = 1, timeoutMs = 10_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    const answer = await client.presence({ userIds: [userId] });
    if (answer.presence[userId].sessions >= sessions) return;
    if (Date.now() > deadline) throw new Error(`${userId} has no ${sessions} open stream(s)`);
    await sleep(50);
  }
}

let counter = 0;

/** A user id no other test uses, so one test's invitations or rate limit never meet another's. */
export function uniqueUser(name) {
  return `${name}-${process.pid}-${++counter}`;
}
