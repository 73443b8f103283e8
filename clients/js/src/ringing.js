// The calls ringing for the signed-in user right now, kept from the client's events.

const ENDED = ['invitation.accepted', 'invitation.declined', 'invitation.canceled', 'invitation.expired'];

/**
 * `new Ringing(client, onChange)`: an invitation is added on `invitation.received` and removed on
 * its accepted, declined, canceled or expired event, or when its `expiresAt` passes (a missed
 * expiry event cannot leave a phone ringing). `onChange(invitations)` gets the ringing
 * invitations, oldest first, after every change.
 */
export class Ringing {
  #client;
  #onChange;
  #calls = new Map();
  #timers = new Map();
  #limit;
  #handlers = [];

  constructor(client, onChange = () => {}, { limit = 100 } = {}) {
    this.#client = client;
    this.#onChange = onChange;
    this.#limit = limit;
    this.#listen('invitation.received', event => this.#add(event.data));
    for (const type of ENDED) this.#listen(type, event => this.#remove(event.data?.invitationId));
  }

  /** The ringing invitations, oldest first. */
  get invitations() {
    return [...this.#calls.values()];
  }

  has(invitationId) {
    return this.#calls.has(invitationId);
  }

  get size() {
    return this.#calls.size;
  }

  /** Stops following the client's events and forgets every call. */
  stop() {
    for (const [type, handler] of this.#handlers) this.#client.off(type, handler);
    for (const timer of this.#timers.values()) clearTimeout(timer);
    this.#timers.clear();
    this.#calls.clear();
  }

  #listen(type, handler) {
    this.#handlers.push([type, handler]);
    this.#client.on(type, handler);
  }

  #add(invitation) {
    if (!invitation?.invitationId) return;
    const left = Date.parse(invitation.expiresAt) - Date.now();
    if (left <= 0) return;
    const known = this.#calls.has(invitation.invitationId);
    this.#calls.set(invitation.invitationId, invitation);
    if (!known) {
      this.#timers.set(invitation.invitationId, setTimeout(() => this.#remove(invitation.invitationId), left));
      // never more than `limit` at once: the oldest stops ringing first
      if (this.#calls.size > this.#limit) this.#drop(this.#calls.keys().next().value);
    }
    this.#onChange(this.invitations);
  }

  #remove(invitationId) {
    if (!this.#calls.has(invitationId)) return;
    this.#drop(invitationId);
    this.#onChange(this.invitations);
  }

  #drop(invitationId) {
    clearTimeout(this.#timers.get(invitationId));
    this.#timers.delete(invitationId);
    this.#calls.delete(invitationId);
  }
}
