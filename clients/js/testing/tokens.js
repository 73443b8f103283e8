// User tokens as an application's backend signs them (RS256 with the test application key).
import { createSign, generateKeyPairSync } from 'node:crypto';
import { readFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const ISSUER = 'https://app.example.test';
const KEYS = fileURLToPath(new URL('../../../src/test/resources/keys/', import.meta.url));
export const APP_PUBLIC_KEY_FILE = KEYS + 'app-public.pem';
const APP_PRIVATE_KEY = readFileSync(KEYS + 'app-private.pem', 'utf8');

const base64Url = value => Buffer.from(typeof value === 'string' ? value : JSON.stringify(value)).toString('base64url');

function sign(claims) {
  const input = base64Url({ alg: 'RS256', typ: 'JWT' }) + '.' + base64Url(claims);
  const signature = createSign('RSA-SHA256').update(input).sign(APP_PRIVATE_KEY).toString('base64url');
  return input + '.' + signature;
}

const now = () => Math.floor(Date.now() / 1000);

export function userToken(userId, extra = {}) {
  return sign({ iss: ISSUER, sub: userId, iat: now(), exp: now() + 3600, ...extra });
}

export function expiredToken(userId) {
  return sign({ iss: ISSUER, sub: userId, iat: now() - 7200, exp: now() - 3600 });
}

/** A fresh RSA private key (PKCS#8 PEM) for Beckon to sign conference access tokens with. */
export function newSigningKeyPem() {
  return generateKeyPairSync('rsa', { modulusLength: 2048 }).privateKey.export({ type: 'pkcs8', format: 'pem' });
}
