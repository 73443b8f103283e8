// The console's "Enable notifications" control: registers the service worker (sw.js), subscribes
// this browser with the key from /push/config, and registers the subscription as a device of the
// signed-in user, so calls ring here while no console tab is open.
import { clearSession, loadSession, saveSession } from './session-store.js';

/** Where enabling stands, shown on the control: a status, and a line saying what it means. */
const STATUS = {
  off: 'Enable notifications',
  working: 'Enabling…',
  on: 'Notifications on',
  unsupported: 'No notifications in this browser',
  blocked: 'Notifications blocked',
  disabled: 'Web Push is off on this server',
  failed: 'Notifications failed',
};

/** How long the browser's push service may take to give a subscription. */
const SUBSCRIBE_TIMEOUT_MS = 10_000;

export class Notifications {
  #button;
  #call;
  #report;
  #session;
  #registration = null;

  /**
   * @param button the control
   * @param call the console's function caller (its failures show in the error list)
   * @param report shows any other failure in the error list
   * @param session `{baseUrl, userId, token}` of the user signed in
   */
  constructor(button, call, report, session) {
    this.#button = button;
    this.#call = call;
    this.#report = report;
    this.#session = session;
    button.hidden = false;
    button.addEventListener('click', () => (this.status === 'on' ? this.disable() : this.enable()));
    this.#show(supported() ? 'off' : 'unsupported');
  }

  get status() {
    return this.#button.dataset.status;
  }

  /** On a later sign-in, a browser that allowed notifications before is subscribed again (renewing its device). */
  async resume() {
    if (supported() && Notification.permission === 'granted' && await navigator.serviceWorker.getRegistration('./')) {
      await this.enable();
    }
  }

  async enable() {
    if (!supported()) return this.#show('unsupported');
    this.#show('working');
    if (await Notification.requestPermission() !== 'granted') return this.#show('blocked');
    try {
      this.#registration = await navigator.serviceWorker.register('sw.js', { type: 'module', scope: './' });
      await navigator.serviceWorker.ready;
      // the worker answers calls as this user: it needs the token before the first ring
      const previous = await loadSession();
      await saveSession({ ...this.#session, deviceId: previous?.userId === this.#session.userId ? previous.deviceId : undefined });
      const config = await (await fetch(new URL('/push/config', this.#session.baseUrl))).json();
      if (!config.webpush) return this.#show('disabled');
      const subscription = await this.#subscribe(config.webpush.applicationServerKey);
      const json = subscription.toJSON();
      const device = await this.#call('registerDevice', {
        platform: 'webpush',
        subscription: { endpoint: json.endpoint, keys: { p256dh: json.keys.p256dh, auth: json.keys.auth } },
        label: `Beckon console (${navigator.userAgentData?.brands?.at(-1)?.brand ?? 'browser'})`,
      });
      await saveSession({ ...this.#session, deviceId: device.deviceId });
      this.#show('on');
    } catch (error) {
      this.#show('failed', error.message);
      if (!error.code) this.#report(error); // a function's failure is in the error list already
    }
  }

  /** This browser stops ringing for this user: its device is unregistered and its subscription ended. */
  async disable() {
    const session = await loadSession();
    if (session?.deviceId) {
      try {
        await this.#call('unregisterDevice', { deviceId: session.deviceId });
      } catch (error) { /* shown in the error list */ }
    }
    const registration = this.#registration ?? await navigator.serviceWorker.getRegistration('./');
    await (await registration?.pushManager.getSubscription())?.unsubscribe();
    await clearSession();
    this.#show('off');
  }

  /** On sign-out: the worker forgets the token (the device stays, until it is renewed or forgotten). */
  static async signedOut() {
    if (supported()) await clearSession();
  }

  async #subscribe(applicationServerKey) {
    const key = fromBase64Url(applicationServerKey);
    const existing = await this.#registration.pushManager.getSubscription();
    if (existing && sameKey(existing.options.applicationServerKey, key)) return existing;
    await existing?.unsubscribe(); // made with another server key: the push service would refuse our pushes
    try {
      // a browser that cannot reach its push service may never answer (headless Chromium does not)
      return await Promise.race([
        this.#registration.pushManager.subscribe({ userVisibleOnly: true, applicationServerKey: key }),
        new Promise((resolve, reject) => setTimeout(() => reject(new DOMException(
          `no answer within ${SUBSCRIBE_TIMEOUT_MS / 1000} s`, 'TimeoutError')), SUBSCRIBE_TIMEOUT_MS)),
      ]);
    } catch (error) {
      throw new Error(`this browser could not subscribe with its push service (${error.name}: ${error.message})`);
    }
  }

  #show(status, why) {
    this.#button.dataset.status = status;
    this.#button.textContent = STATUS[status];
    this.#button.title = why ?? '';
    this.#button.disabled = status === 'working' || status === 'unsupported';
  }
}

function supported() {
  return 'serviceWorker' in navigator && 'PushManager' in window && 'Notification' in window;
}

function fromBase64Url(text) {
  const base64 = text.replace(/-/g, '+').replace(/_/g, '/');
  return Uint8Array.from(atob(base64 + '='.repeat((4 - base64.length % 4) % 4)), c => c.charCodeAt(0));
}

function sameKey(buffer, key) {
  if (!buffer) return false;
  const bytes = new Uint8Array(buffer);
  return bytes.length === key.length && bytes.every((b, i) => b === key[i]);
}
