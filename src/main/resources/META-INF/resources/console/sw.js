// The console's service worker: rings this browser through Web Push while no console tab is open.
// An invitation.received push shows a notification with Accept and Decline, which answer through
// the same client the console uses; the invitation's end (accepted, declined, canceled, expired)
// closes it, and a call that ended unanswered leaves a "missed call" notification instead.
import { BeckonClient } from '../client/index.js';
import { loadSession } from './session-store.js';

const ENDS = new Set(['invitation.accepted', 'invitation.declined', 'invitation.canceled', 'invitation.expired']);
const CALL_TYPES = { video_call: 'video call', audio_call: 'audio call', live_streaming: 'live streaming' };
/** Invitations whose end arrived here, so a ring that arrives after its end does not ring (bounded). */
const ended = new Set();
const MAX_ENDED = 200;

self.addEventListener('install', () => self.skipWaiting());
self.addEventListener('activate', event => event.waitUntil(self.clients.claim()));

self.addEventListener('push', event => {
  let cloudEvent;
  try {
    cloudEvent = event.data?.json();
  } catch (notJson) {
    return;
  }
  if (cloudEvent?.data?.invitationId) event.waitUntil(onPush(cloudEvent));
});

self.addEventListener('notificationclick', event => {
  const notification = event.notification;
  if (event.action === 'accept' || event.action === 'decline') {
    event.waitUntil(answer(notification, event.action, { focus: event.action === 'accept' }));
  } else {
    notification.close();
    event.waitUntil(focusConsole());
  }
});

// A console page can answer a ringing notification too (the same path as its buttons): {type: 'answer', invitationId, action}.
self.addEventListener('message', event => {
  const message = event.data ?? {};
  if (message.type !== 'answer' || !['accept', 'decline'].includes(message.action)) return;
  event.waitUntil(self.registration.getNotifications({ tag: ringTag(message.invitationId) }).then(ringing =>
    Promise.all(ringing.map(notification => answer(notification, message.action, { focus: false })))));
});

const ringTag = invitationId => `ring:${invitationId}`;

async function onPush(cloudEvent) {
  const invitation = cloudEvent.data;
  const tag = ringTag(invitation.invitationId);
  if (cloudEvent.type === 'invitation.received') {
    // a push can arrive late: past its expiry, or after its end, it rings no more
    if (ended.has(invitation.invitationId) || Date.parse(invitation.expiresAt) <= Date.now()) return;
    const caller = invitation.from?.name || invitation.from?.userId || 'Someone';
    const kind = CALL_TYPES[invitation.callType] ?? 'call';
    return self.registration.showNotification(`${caller} is calling`, {
      tag,
      body: invitation.message ? `${kind}: “${invitation.message}”` : kind,
      requireInteraction: true,
      renotify: true,
      timestamp: Date.parse(invitation.createdAt) || Date.now(),
      data: { invitationId: invitation.invitationId, caller },
      actions: [{ action: 'accept', title: 'Accept' }, { action: 'decline', title: 'Decline' }],
    });
  }
  if (!ENDS.has(cloudEvent.type)) return;
  remember(invitation.invitationId);
  const ringing = await self.registration.getNotifications({ tag });
  ringing.forEach(notification => notification.close());
  if (ringing.length > 0 && (cloudEvent.type === 'invitation.canceled' || cloudEvent.type === 'invitation.expired')) {
    const caller = invitation.from?.name || invitation.from?.userId || 'someone';
    await self.registration.showNotification(`Missed call from ${caller}`, {
      tag: `missed:${invitation.invitationId}`,
      data: { invitationId: invitation.invitationId },
    });
  }
}

function remember(invitationId) {
  ended.add(invitationId);
  if (ended.size > MAX_ENDED) ended.delete(ended.values().next().value);
}

/** Accepts or declines the call of a ringing notification as the user who enabled notifications here. */
async function answer(notification, action, { focus }) {
  const { invitationId, caller } = notification.data ?? {};
  notification.close();
  const session = await loadSession();
  if (!session?.token) {
    return self.registration.showNotification('Sign in to the Beckon console to answer', { tag: `answer:${invitationId}` });
  }
  const client = new BeckonClient({ baseUrl: session.baseUrl, token: session.token });
  try {
    if (action === 'accept') await client.accept(invitationId);
    else await client.decline(invitationId);
  } catch (error) {
    const why = error.state ? `the call was ${error.state.toLowerCase()} already` : error.message;
    return self.registration.showNotification(`Could not ${action} the call from ${caller ?? 'someone'}`,
      { tag: `answer:${invitationId}`, body: why });
  }
  if (focus) await focusConsole();
}

async function focusConsole() {
  const windows = await self.clients.matchAll({ type: 'window', includeUncontrolled: true });
  const open = windows.find(client => new URL(client.url).pathname.startsWith(new URL(self.registration.scope).pathname));
  if (open) return open.focus();
  return self.clients.openWindow(self.registration.scope);
}
