// Reads index.d.ts just enough to compare it with Beckon's OpenAPI document.

import { readFileSync } from 'node:fs';

const SOURCE = readFileSync(new URL('../index.d.ts', import.meta.url), 'utf8');

/** `export interface Name { … }` → Map name → Map property → {optional}. */
export function interfaces() {
  const found = new Map();
  for (const match of SOURCE.matchAll(/^export interface (\w+)(?:<[^>]*>)? \{\n([\s\S]*?)^\}/gm)) {
    const properties = new Map();
    for (const line of match[2].split('\n')) {
      const property = /^ {2}'?([\w.]+)'?(\?)?:/.exec(line);
      if (property) properties.set(property[1], { optional: property[2] === '?' });
    }
    found.set(match[1], properties);
  }
  return found;
}

/** `export type Name = 'a' | 'b' …;` → Map name → [values]. */
export function unions() {
  const found = new Map();
  for (const match of SOURCE.matchAll(/^export type (\w+) = ((?:'[^']*'\s*\|?\s*)+);/gm)) {
    found.set(match[1], [...match[2].matchAll(/'([^']*)'/g)].map(m => m[1]));
  }
  return found;
}

/** The `Functions` map: function name → [request interface, answer interface]. */
export function functions() {
  const body = /^export interface Functions \{\n([\s\S]*?)^\}/m.exec(SOURCE)[1];
  return new Map([...body.matchAll(/^ {2}(\w+): \[(\w+), (\w+)\];/gm)].map(m => [m[1], [m[2], m[3]]]));
}
