// The packaged Beckon (production profile) and a real redis-server, started for the tests on loopback.

import { spawn } from 'node:child_process';
import { mkdtempSync, writeFileSync, readFileSync, existsSync } from 'node:fs';
import { createServer, connect } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { setTimeout as sleep } from 'node:timers/promises';

import { APP_PUBLIC_KEY_FILE, ISSUER, newSigningKeyPem } from './tokens.js';

const ROOT = fileURLToPath(new URL('../../../', import.meta.url));
const JAR = join(ROOT, 'target/quarkus-app/quarkus-run.jar');

export function freePort() {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.unref();
    server.on('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address();
      server.close(() => resolve(port));
    });
  });
}

async function waitUntil(what, check, child, log, timeoutMs = 60_000) {
  const deadline = Date.now() + timeoutMs;
  for (;;) {
    if (await check().catch(() => false)) return;
    if (child.exitCode !== null || Date.now() > deadline) {
      throw new Error(`${what} did not start; its log:\n${existsSync(log) ? readFileSync(log, 'utf8').slice(-4000) : '(none)'}`);
    }
    await sleep(50);
  }
}

/** redis-server from the PATH (or BECKON_REDIS_SERVER), without persistence, on a free port. */
export async function startRedis() {
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'beckon-js-redis-'));
  const log = join(dir, 'redis.log');
  const binary = process.env.BECKON_REDIS_SERVER && process.env.BECKON_REDIS_SERVER !== 'embedded' ? process.env.BECKON_REDIS_SERVER : 'redis-server';
  const child = spawn(binary, ['--port', String(port), '--bind', '127.0.0.1', '--save', '', '--appendonly', 'no', '--dir', dir, '--logfile', log],
    { stdio: 'ignore' });
  child.on('error', () => {}); // reported by waitUntil through exitCode
  await waitUntil('redis-server', () => new Promise(resolve => {
    const socket = connect(port, '127.0.0.1', () => { socket.end(); resolve(true); });
    socket.on('error', () => resolve(false));
  }), child, log, 10_000);
  return { url: `redis://127.0.0.1:${port}`, stop: () => stop(child) };
}

/** The packaged jar with the settings production needs (and `env` on top). */
export async function startBeckon(redisUrl, env = {}) {
  if (!existsSync(JAR)) throw new Error(`${JAR} is missing: package Beckon first (./mvnw package)`);
  const port = await freePort();
  const dir = mkdtempSync(join(tmpdir(), 'beckon-js-'));
  const keyFile = join(dir, 'token-key.pem');
  writeFileSync(keyFile, newSigningKeyPem());
  const log = join(dir, 'beckon.log');
  const java = process.env.JAVA_HOME ? join(process.env.JAVA_HOME, 'bin/java') : 'java';
  const { openSync } = await import('node:fs');
  const out = openSync(log, 'w');
  const child = spawn(java, ['-jar', JAR], {
    stdio: ['ignore', out, out],
    env: {
      ...process.env,
      QUARKUS_PROFILE: 'prod',
      QUARKUS_HTTP_PORT: String(port),
      QUARKUS_HTTP_HOST: '127.0.0.1',
      QUARKUS_REDIS_HOSTS: redisUrl,
      MP_JWT_VERIFY_PUBLICKEY_LOCATION: APP_PUBLIC_KEY_FILE,
      MP_JWT_VERIFY_ISSUER: ISSUER,
      BECKON_TOKEN_KEY_LOCATION: keyFile,
      ...env,
    },
  });
  child.on('error', () => {});
  const baseUrl = `http://127.0.0.1:${port}`;
  await waitUntil('Beckon', async () => (await fetch(baseUrl + '/q/health/ready')).status === 200, child, log);
  return { baseUrl, log, stop: () => stop(child) };
}

function stop(child) {
  if (child.exitCode !== null) return Promise.resolve();
  return new Promise(resolve => {
    child.once('exit', resolve);
    child.kill('SIGTERM');
  });
}

/**
 * A TCP hop between a client and Beckon whose connections the test can cut, as a dropped mobile
 * network would: `cut()` kills every connection and refuses new ones until `restore()`.
 */
export async function startCuttableProxy(targetUrl) {
  const target = new URL(targetUrl);
  const sockets = new Set();
  let refusing = false;
  const server = createServer(client => {
    if (refusing) {
      client.destroy();
      return;
    }
    const upstream = connect(Number(target.port), target.hostname);
    sockets.add(client);
    sockets.add(upstream);
    client.pipe(upstream);
    upstream.pipe(client);
    const end = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    client.on('error', end).on('close', end);
    upstream.on('error', end).on('close', end);
  });
  const port = await new Promise(resolve => server.listen(0, '127.0.0.1', () => resolve(server.address().port)));
  return {
    baseUrl: `http://127.0.0.1:${port}`,
    cut() {
      refusing = true;
      for (const socket of sockets) socket.destroy();
    },
    restore() {
      refusing = false;
    },
    close: () => new Promise(resolve => {
      for (const socket of sockets) socket.destroy();
      server.close(resolve);
    }),
  };
}
