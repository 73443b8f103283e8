// Where the console keeps what its service worker needs to answer a call from a notification
// (Beckon's URL, the signed-in user and their token) and which device it registered: IndexedDB,
// which a page and its service worker share, and which outlives the worker between pushes.

const DATABASE = 'beckon-console';
const STORE = 'session';
const KEY = 'current';

function open() {
  return new Promise((resolve, reject) => {
    const request = indexedDB.open(DATABASE, 1);
    request.onupgradeneeded = () => request.result.createObjectStore(STORE);
    request.onsuccess = () => resolve(request.result);
    request.onerror = () => reject(request.error);
  });
}

async function transact(mode, work) {
  const database = await open();
  try {
    return await new Promise((resolve, reject) => {
      const transaction = database.transaction(STORE, mode);
      const request = work(transaction.objectStore(STORE));
      transaction.oncomplete = () => resolve(request.result);
      transaction.onerror = () => reject(transaction.error);
      transaction.onabort = () => reject(transaction.error);
    });
  } finally {
    database.close();
  }
}

/** `{baseUrl, userId, token, deviceId?}`, or undefined when nobody signed in here enabled notifications. */
export function loadSession() {
  return transact('readonly', store => store.get(KEY));
}

export function saveSession(session) {
  return transact('readwrite', store => store.put(session, KEY));
}

export function clearSession() {
  return transact('readwrite', store => store.delete(KEY));
}
