#!/usr/bin/env node
/**
 * An example Alertmanager webhook receiver: shows that pages and tickets arrive, and stands in for
 * a paging service until a real one is configured (ops/alertmanager/alertmanager.yml).
 *   node ops/alertmanager/webhook-receiver.js
 *   WEBHOOK_RECEIVER_PORT (default 9095), WEBHOOK_RECEIVER_HOST (default 127.0.0.1; 0.0.0.0 in a container)
 * POST /<route> with Alertmanager's webhook payload logs one JSON line per alert on stdout; GET /health
 * answers 200. Only the labels below and the summary are logged: alerts carry no personal data by
 * design (decision 0030), and a receiver that logged whatever arrives would be the first place a
 * label with a phone number in it leaked. No dependencies, so it runs on any Node image.
 */
'use strict';
const { Buffer } = require('node:buffer');
const http = require('node:http');
const { URL } = require('node:url');

const out = (line) => process.stdout.write(`${line}\n`);
const err = (line) => process.stderr.write(`${line}\n`);

const LOGGED_LABELS = [
  'alertname',
  'severity',
  'job',
  'instance',
  'scheduled_job',
  'schedule',
  'channel',
  'consumer',
  'topic',
  'group',
];
const MAX_BODY_BYTES = 1024 * 1024;

function parsePort(text) {
  const port = Number(text);
  if (!Number.isInteger(port) || port < 1 || port > 65535)
    throw new Error(`WEBHOOK_RECEIVER_PORT must be a port number (1-65535), got ${JSON.stringify(text)}`);
  return port;
}

function isObject(value) {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function text(value) {
  return typeof value === 'string' ? value : undefined;
}

/** The alerts of an Alertmanager webhook payload (version 4), or a reason why it is not one. */
function readPayload(raw) {
  let body;
  try {
    body = JSON.parse(raw);
  } catch {
    return { error: 'body is not JSON' };
  }
  if (!isObject(body) || !Array.isArray(body.alerts)) return { error: 'body has no alerts array' };
  if (body.version !== '4') return { error: `unsupported payload version ${JSON.stringify(body.version)}` };
  return { receiver: text(body.receiver), alerts: body.alerts.filter(isObject) };
}

function logLine(route, receiver, alert) {
  const labels = isObject(alert.labels) ? alert.labels : {};
  const annotations = isObject(alert.annotations) ? alert.annotations : {};
  const line = { at: new Date().toISOString(), route, receiver, status: text(alert.status) };
  for (const name of LOGGED_LABELS) if (text(labels[name]) !== undefined) line[name] = labels[name];
  line.startsAt = text(alert.startsAt);
  line.summary = text(annotations.summary);
  return JSON.stringify(line);
}

function handle(request, response) {
  const url = new URL(request.url ?? '/', 'http://receiver');
  if (request.method === 'GET' && url.pathname === '/health') {
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
    return;
  }
  if (request.method !== 'POST') {
    response.writeHead(405, { allow: 'POST' }).end();
    return;
  }
  const route = url.pathname.replace(/^\/+/, '') || 'default';
  const chunks = [];
  let size = 0;
  request.on('data', (chunk) => {
    size += chunk.length;
    if (size > MAX_BODY_BYTES) {
      err(`rejected a notification on /${route}: body over ${MAX_BODY_BYTES} bytes`);
      response.writeHead(413).end();
      request.destroy();
      return;
    }
    chunks.push(chunk);
  });
  request.on('end', () => {
    if (response.writableEnded) return;
    const payload = readPayload(Buffer.concat(chunks).toString('utf8'));
    if (payload.error) {
      // The reason only: the body itself may hold anything.
      err(`rejected a notification on /${route}: ${payload.error}`);
      response.writeHead(400, { 'content-type': 'text/plain' }).end(`${payload.error}\n`);
      return;
    }
    for (const alert of payload.alerts) out(logLine(route, payload.receiver, alert));
    response.writeHead(200, { 'content-type': 'text/plain' }).end('ok\n');
  });
  request.on('error', () => response.destroy());
}

function main() {
  let port;
  try {
    port = parsePort(process.env.WEBHOOK_RECEIVER_PORT ?? '9095');
  } catch (error) {
    err(error.message);
    process.exit(2);
  }
  const host = process.env.WEBHOOK_RECEIVER_HOST || '127.0.0.1';
  const server = http.createServer(handle);
  server.on('error', (error) => {
    err(`webhook receiver cannot listen on ${host}:${port}: ${error.message}`);
    process.exit(1);
  });
  server.listen(port, host, () => err(`webhook receiver listening on http://${host}:${port}`));
  const stop = () => server.close(() => process.exit(0));
  process.on('SIGTERM', stop);
  process.on('SIGINT', stop);
}

main();
