// A set that forgets its oldest entries past a limit, for ids remembered from a stream that never ends.

export class BoundedSet {
  #limit;
  #entries = new Set();

  constructor(limit) {
    this.#limit = limit;
  }

  has(value) {
    return this.#entries.has(value);
  }

  add(value) {
    if (this.#entries.has(value)) return;
    this.#entries.add(value);
    if (this.#entries.size > this.#limit) this.#entries.delete(this.#entries.values().next().value);
  }

  get size() {
    return this.#entries.size;
  }
}
