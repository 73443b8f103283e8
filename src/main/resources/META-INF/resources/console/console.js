// Beckon console: a reference client that uses only the public API, through @beckon/client.
import { BeckonClient, BeckonError, EVENT_TYPES } from '../client/index.js';
import { Notifications } from './notifications.js';

const TERMINAL = new Set(['ACCEPTED', 'DECLINED', 'CANCELED', 'EXPIRED']);
const OUTGOING_LABELS = {
  PENDING: 'calling', RINGING: 'ringing', ACCEPTED: 'accepted', DECLINED: 'declined',
  CANCELED: 'canceled', EXPIRED: 'missed (no answer)',
};
const CALL_TYPES = { video_call: 'video call', audio_call: 'audio call', live_streaming: 'live streaming' };

const state = {
  client: null,
  me: null,
  incoming: new Map(),   // invitationId → Invitation, while it rings here
  outgoing: new Map(),   // invitationId → Invitation, newest last
  contacts: new Map(),   // userId → presence
  conferenceId: null,
  timers: [],
  notifications: null,
};

const $ = (selector, root = document) => root.querySelector(selector);

/** Builds an element; text is always set as text, never parsed as HTML. */
function el(tag, attributes = {}, ...children) {
  const node = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes)) {
    if (value === undefined || value === null || value === false) continue;
    if (name === 'text') node.textContent = value;
    else if (name.startsWith('on')) node.addEventListener(name.slice(2), value);
    else node.setAttribute(name, value === true ? '' : value);
  }
  for (const child of children) {
    if (child !== null && child !== undefined) node.append(child);
  }
  return node;
}

// ---- the API ---------------------------------------------------------------------------------

/** Calls a function through the client; every failure is shown in the error list and rethrown. */
async function call(name, body) {
  try {
    return await state.client.call(name, body);
  } catch (error) {
    reportError(name, error);
    throw error;
  }
}

function reportError(what, error) {
  const section = $('#errors');
  section.hidden = false;
  let text = `${what}: ${error.status ? error.status + ' ' : ''}${error.code}: ${error.message}`;
  if (error.state) text += ` (the invitation is ${error.state})`;
  if (error.retryAfter) text += ` (retry in ${error.retryAfter} s)`;
  $('.entries', section).prepend(el('li', { 'class': 'error', 'data-error': error.code, text }));
  const entries = $('.entries', section).children;
  while (entries.length > 20) entries[entries.length - 1].remove();
}

// ---- signing in ------------------------------------------------------------------------------

function claimsOf(token) {
  try {
    const payload = token.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    return JSON.parse(new TextDecoder().decode(Uint8Array.from(atob(payload), c => c.charCodeAt(0))));
  } catch (notAJwt) {
    return null;
  }
}

async function devToken(userId, name, picture) {
  const query = new URLSearchParams({ sub: userId });
  if (name) query.set('name', name);
  if (picture) query.set('picture', picture);
  const response = await fetch('/dev/token?' + query);
  if (response.status === 404) {
    throw new BeckonError({ status: 404, code: 'no_dev_helper',
      message: 'This Beckon has no development token helper (it runs in production): paste a token your backend signed for this user.' });
  }
  const text = await response.text();
  if (!response.ok) throw BeckonError.fromResponse(response, text);
  return text.trim();
}

async function signIn(event) {
  event?.preventDefault();
  const userId = $('#user-id').value.trim();
  const name = $('#user-name').value.trim();
  let token = $('#user-token').value.trim();
  try {
    if (!token) token = await devToken(userId, name, new URLSearchParams(location.search).get('picture'));
  } catch (error) {
    reportError('sign in', error);
    return;
  }
  const claims = claimsOf(token);
  if (!claims) {
    reportError('sign in', new BeckonError({ status: 0, code: 'invalid_token', message: 'That is not a JWT.' }));
    return;
  }
  state.client = new BeckonClient({ baseUrl: location.origin, token });
  state.me = { userId: claims.sub, name: claims.name };
  try {
    // proves the token before anything else; a bad one shows Beckon's 401 here
    await call('presence', { userIds: [claims.sub] });
  } catch (error) {
    state.client = null;
    return;
  }
  $('#sign-in').hidden = true;
  $('#workspace').hidden = false;
  $('#session').hidden = false;
  $('#me').textContent = claims.name ? `${claims.name} (${claims.sub})` : claims.sub;
  document.title = `Beckon console: ${claims.sub}`;
  openEvents();
  refreshHistory();
  state.notifications = new Notifications($('#notifications'), call,
    error => reportError('notifications', new BeckonError({ status: 0, code: 'push_unavailable', message: error.message })),
    { baseUrl: location.origin, userId: claims.sub, token });
  state.notifications.resume().catch(() => {});
  state.timers.push(setInterval(refreshPresence, 5000), setInterval(renderCountdowns, 250));
}

async function signOut() {
  state.client?.close();
  state.timers.forEach(clearInterval);
  await Notifications.signedOut().catch(() => {});
  location.reload();
}

// ---- the event stream ------------------------------------------------------------------------

function openEvents() {
  // the client resumes after a drop with Last-Event-ID, so Beckon replays what was missed
  state.client.on('open', () => setStreamStatus('open', 'online'));
  state.client.on('error', () => setStreamStatus('connecting', 'reconnecting…'));
  for (const type of EVENT_TYPES) state.client.on(type, event => onEvent(type, event));
}

function setStreamStatus(status, text) {
  const badge = $('#stream-status');
  badge.dataset.status = status;
  badge.textContent = text;
}

function onEvent(type, cloudEvent) {
  const data = cloudEvent.data;
  if (type.startsWith('invitation.')) {
    onInvitation(data);
  } else if (data.conferenceId === state.conferenceId) {
    refreshConference();
  }
}

function onInvitation(invitation) {
  const mine = invitation.to.userId === state.me.userId;
  if (mine) {
    if (TERMINAL.has(invitation.state)) state.incoming.delete(invitation.invitationId);
    else state.incoming.set(invitation.invitationId, merge(state.incoming.get(invitation.invitationId), invitation));
    if (!state.contacts.has(invitation.from.userId)) {
      state.contacts.set(invitation.from.userId, null);
      refreshPresence();
    }
    renderIncoming();
  }
  if (invitation.from.userId === state.me.userId) {
    // ours, from this page or another device of ours
    state.outgoing.set(invitation.invitationId, merge(state.outgoing.get(invitation.invitationId), invitation));
    renderOutgoing();
  }
  if (TERMINAL.has(invitation.state)) {
    refreshHistory();
    if (invitation.conferenceId === state.conferenceId) refreshConference();
  }
}

/** States only move forward (PENDING → RINGING → one terminal state), whatever order news arrives in. */
function rank(invitationState) {
  return TERMINAL.has(invitationState) ? 2 : invitationState === 'RINGING' ? 1 : 0;
}

function merge(known, update) {
  if (!known) return update;
  return rank(update.state) >= rank(known.state) ? { ...known, ...update } : known;
}

// ---- placing, answering, cancelling ----------------------------------------------------------

async function placeCall(event) {
  event.preventDefault();
  const userIds = $('#callees').value.split(/[\s,]+/).filter(Boolean);
  const body = {
    callType: $('#call-type').value,
    protected: $('#call-protected').checked,
    settings: {
      ringTimeoutSeconds: Number($('#ring-timeout').value),
      busyPolicy: $('#call-reject-busy').checked ? 'reject' : 'ring',
    },
    participants: userIds.map(userId => ({ userId })),
  };
  const message = $('#call-message').value.trim();
  if (message) body.message = message;
  let conference;
  try {
    conference = await call('createConference', body);
  } catch (error) {
    return;
  }
  for (const invitation of conference.invitations) {
    state.outgoing.set(invitation.invitationId, merge(state.outgoing.get(invitation.invitationId), invitation));
    state.contacts.set(invitation.to.userId, state.contacts.get(invitation.to.userId) ?? null);
  }
  state.conferenceId = conference.conferenceId;
  renderOutgoing();
  refreshConference();
  refreshPresence();
}

async function respond(invitation, action, reason, message) {
  const body = { invitationId: invitation.invitationId, action };
  if (reason) body.reason = reason;
  if (message) body.message = message;
  try {
    const answered = await call('respond', body);
    state.incoming.delete(invitation.invitationId);
    renderIncoming();
    if (action === 'accept') {
      state.conferenceId = answered.conferenceId;
      refreshConference();
    }
    refreshHistory();
  } catch (error) {
    if (error.state && TERMINAL.has(error.state)) {
      state.incoming.delete(invitation.invitationId);
      renderIncoming();
    }
  }
}

async function cancel(invitation) {
  try {
    const canceled = await call('cancel', { invitationId: invitation.invitationId });
    state.outgoing.set(canceled.invitationId, merge(state.outgoing.get(canceled.invitationId), canceled));
  } catch (error) {
    const known = state.outgoing.get(invitation.invitationId);
    if (error.state) state.outgoing.set(invitation.invitationId, merge(known, { ...known, state: error.state }));
  }
  renderOutgoing();
}

async function leave() {
  try {
    await call('leave', { conferenceId: state.conferenceId });
    refreshConference();
  } catch (error) { /* shown in the error list */ }
}

// ---- reads -----------------------------------------------------------------------------------

async function refreshConference() {
  const section = $('#conference');
  if (!state.conferenceId) return;
  let conference;
  try {
    conference = await call('getConference', { conferenceId: state.conferenceId });
  } catch (error) {
    return;
  }
  $('.empty', section).hidden = true;
  $('.details', section).hidden = false;
  $('.conference-id', section).textContent = conference.conferenceId;
  const ended = conference.participants.every(p => p.status !== 'CONNECTED');
  const badge = $('.conference-state', section);
  badge.textContent = ended ? 'ended' : 'live';
  badge.dataset.status = ended ? 'ended' : 'live';
  $('.leave', section).hidden = ended;
  $('.participants', section).replaceChildren(...conference.participants.map(p =>
    el('li', { 'data-user': p.userId, 'data-status': p.status },
      el('span', { 'class': 'who', text: p.name ? `${p.name} (${p.userId})` : p.userId }),
      el('span', { 'class': 'status badge', 'data-status': p.status, text: p.status.toLowerCase() }))));
}

let historyPending = null;

function refreshHistory() {
  // several events end together (an accept is three); one read after them is enough
  clearTimeout(historyPending);
  historyPending = setTimeout(loadHistory, 150);
}

async function loadHistory() {
  let incoming, outgoing;
  try {
    [incoming, outgoing] = await Promise.all([
      call('listInvitations', { direction: 'incoming', limit: 20 }),
      call('listInvitations', { direction: 'outgoing', limit: 20 }),
    ]);
  } catch (error) {
    return;
  }
  const all = [...incoming.invitations, ...outgoing.invitations]
    .sort((a, b) => b.createdAt.localeCompare(a.createdAt)).slice(0, 30);
  const section = $('#history');
  $('.empty', section).hidden = all.length > 0;
  reconcile($('.entries', section), all, historyEntry,
    (node, invitation) => (node.dataset.state === invitation.state ? null : historyEntry(invitation)));
}

function historyEntry(invitation) {
  const incoming = invitation.to.userId === state.me.userId;
  const other = incoming ? invitation.from : invitation.to;
  const missed = incoming && invitation.state === 'EXPIRED';
  let outcome = invitation.state.toLowerCase();
  if (missed) outcome = 'missed call';
  else if (!incoming && invitation.state === 'EXPIRED') outcome = 'no answer';
  else if (invitation.state === 'DECLINED' && invitation.reason) outcome = `declined: ${invitation.reason}`;
  return el('li', { 'data-invitation': invitation.invitationId, 'data-state': invitation.state, 'class': missed ? 'missed' : null },
    el('span', { 'class': 'direction', text: incoming ? '↙ from' : '↗ to' }),
    el('span', { 'class': 'who', text: displayName(other) }),
    el('span', { 'class': 'outcome badge', 'data-status': invitation.state, text: outcome }),
    el('time', { datetime: invitation.createdAt, text: new Date(invitation.createdAt).toLocaleString() }));
}

async function refreshPresence() {
  const userIds = [...state.contacts.keys()].slice(0, 50);
  if (userIds.length === 0) return;
  let answer;
  try {
    answer = await call('presence', { userIds });
  } catch (error) {
    return;
  }
  for (const [userId, presence] of Object.entries(answer.presence)) state.contacts.set(userId, presence);
  renderContacts();
}

// ---- rendering -------------------------------------------------------------------------------

function displayName(party) {
  return party.name ? `${party.name} (${party.userId})` : party.userId;
}

function avatar(party) {
  if (party.avatarUrl && /^https?:\/\//.test(party.avatarUrl)) {
    return el('img', { 'class': 'avatar', src: party.avatarUrl, alt: '' });
  }
  const initials = (party.name || party.userId).split(/\s+/).map(w => w[0]).join('').slice(0, 2).toUpperCase();
  return el('span', { 'class': 'avatar initials', 'aria-hidden': 'true', text: initials });
}

function countdown(invitation) {
  return el('span', { 'class': 'countdown', 'data-expires': invitation.expiresAt });
}

function renderCountdowns() {
  for (const node of document.querySelectorAll('.countdown[data-expires]')) {
    const left = Math.max(0, Math.ceil((Date.parse(node.dataset.expires) - Date.now()) / 1000));
    node.textContent = `${left} s`;
  }
}

/**
 * Keeps one list item per invitation: new ones are added, gone ones removed, and the rest are
 * updated in place (or replaced, when update returns a new node), so what a user is typing or
 * about to click is not swapped under them.
 */
function reconcile(list, invitations, create, update) {
  const wanted = new Set(invitations.map(invitation => invitation.invitationId));
  for (const node of [...list.children]) {
    if (!wanted.has(node.dataset.invitation)) node.remove();
  }
  let previous = null;
  for (const invitation of invitations) {
    let node = list.querySelector(`:scope > li[data-invitation="${CSS.escape(invitation.invitationId)}"]`);
    if (!node) {
      node = create(invitation);
      if (previous) previous.after(node); else list.prepend(node);
    }
    const replacement = update(node, invitation);
    if (replacement) {
      node.replaceWith(replacement);
      node = replacement;
    }
    previous = node;
  }
}

function renderIncoming() {
  const section = $('#incoming');
  const calls = [...state.incoming.values()];
  $('.empty', section).hidden = calls.length > 0;
  section.classList.toggle('ringing', calls.length > 0);
  reconcile($('.calls', section), calls, incomingCall, (node, invitation) => { node.dataset.state = invitation.state; });
  renderCountdowns();
}

function incomingCall(invitation) {
  const reason = el('select', { 'class': 'reason', 'aria-label': 'reason' },
    el('option', { value: 'declined', text: 'declined' }),
    el('option', { value: 'busy', text: 'busy' }),
    el('option', { value: 'unavailable', text: 'unavailable' }));
  const note = el('input', { 'class': 'response-message', placeholder: 'message (optional)', maxlength: '500' });
  return el('li', { 'data-invitation': invitation.invitationId },
    avatar(invitation.from),
    el('div', { 'class': 'about' },
      el('strong', { 'class': 'caller', text: displayName(invitation.from) }),
      el('span', { 'class': 'call-type', text: CALL_TYPES[invitation.callType] ?? invitation.callType }),
      // rung while in another call or ringing elsewhere
      invitation.inviteeBusy ? el('span', { 'class': 'call-waiting badge', text: 'call waiting' }) : null,
      invitation.message ? el('q', { 'class': 'message', text: invitation.message }) : null,
      countdown(invitation)),
    el('div', { 'class': 'actions' },
      el('button', { 'class': 'accept', type: 'button', text: 'Accept', onclick: () => respond(invitation, 'accept') }),
      reason, note,
      el('button', { 'class': 'decline', type: 'button', text: 'Decline',
        onclick: () => respond(invitation, 'decline', reason.value, note.value.trim()) })));
}

function renderOutgoing() {
  const section = $('#outgoing');
  const calls = [...state.outgoing.values()].reverse().slice(0, 10);
  $('.empty', section).hidden = calls.length > 0;
  reconcile($('.calls', section), calls, outgoingCall, updateOutgoingCall);
  renderCountdowns();
}

function outgoingCall(invitation) {
  return el('li', { 'data-invitation': invitation.invitationId },
    avatar(invitation.to),
    el('div', { 'class': 'about' },
      el('strong', { 'class': 'callee', text: displayName(invitation.to) }),
      el('span', { 'class': 'state badge' }),
      el('q', { 'class': 'response-message', hidden: true }),
      countdown(invitation)),
    el('button', { 'class': 'cancel', type: 'button', text: 'Cancel',
      onclick: () => cancel(state.outgoing.get(invitation.invitationId)) }));
}

function updateOutgoingCall(node, invitation) {
  const open = !TERMINAL.has(invitation.state);
  let label = OUTGOING_LABELS[invitation.state] ?? invitation.state.toLowerCase();
  if (invitation.state === 'DECLINED' && invitation.reason) label += `: ${invitation.reason}`;
  node.dataset.state = invitation.state;
  const badge = $('.state', node);
  badge.dataset.status = invitation.state;
  badge.textContent = label;
  const response = $('.response-message', node);
  response.hidden = !invitation.responseMessage;
  response.textContent = invitation.responseMessage ?? '';
  $('.countdown', node).hidden = !open;
  $('.cancel', node).hidden = !open;
}

function renderContacts() {
  const entries = [...state.contacts.entries()];
  $('#place-call .empty').hidden = entries.length > 0;
  $('#contacts').replaceChildren(...entries.map(([userId, presence]) => {
    const online = presence?.online === true;
    const devices = presence?.sessions ?? 0;
    return el('li', { 'data-user': userId, 'data-online': String(online) },
      el('span', { 'class': 'dot', 'aria-hidden': 'true' }),
      el('button', { 'class': 'link', type: 'button', text: userId, onclick: () => { $('#callees').value = userId; } }),
      el('span', { 'class': 'presence', text: online ? `online, ${devices} device${devices === 1 ? '' : 's'}` : 'offline' }));
  }));
}

// ---- start -----------------------------------------------------------------------------------

document.addEventListener('DOMContentLoaded', () => {
  $('#sign-in-form').addEventListener('submit', signIn);
  $('#call-form').addEventListener('submit', placeCall);
  $('#sign-out').addEventListener('click', signOut);
  $('#conference .leave').addEventListener('click', leave);
  // /console/?user=alice&name=Alice[&picture=https://…] signs in at once (with the development helper)
  const query = new URLSearchParams(location.search);
  if (query.get('user')) {
    $('#user-id').value = query.get('user');
    $('#user-name').value = query.get('name') ?? '';
    signIn();
  }
});
