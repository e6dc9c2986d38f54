// Talking to Switchboard's public APIs with the bearer token: the gateway on this origin, the transcript service
// wherever /console/config says. Errors become sentences for people (ApiError.message), never raw JSON.
import {fragmentToken, plain} from './text.js';

const TOKEN_KEY = 'switchboard.console.token';

/**
 * Reads a sign-in link's "#token=..." and clears the fragment from the address at once: {token}, {problem} when the link
 * is damaged, null when there is none (text.js's fragmentToken).
 */
export function tokenFromFragment() {
  const offered = fragmentToken(location.hash);
  if (offered) history.replaceState(null, '', `${location.pathname}${location.search}#/live`);
  return offered;
}

/**
 * Who a token says it is, to ask a person about it: read without checking the signature, so it decides nothing (the
 * APIs do). "someone" when it cannot be read.
 */
export function claimedSubject(value) {
  try {
    const payload = value.split('.')[1].replace(/-/g, '+').replace(/_/g, '/');
    const claims = JSON.parse(atob(payload.padEnd(payload.length + (4 - payload.length % 4) % 4, '=')));
    return String(claims.sub ?? claims.azp ?? claims.client_id ?? 'someone');
  } catch {
    return 'someone';
  }
}

export const token = () => sessionStorage.getItem(TOKEN_KEY);
export const setToken = (value) => sessionStorage.setItem(TOKEN_KEY, value.trim().replace(/^Bearer\s+/i, ''));
export const forgetToken = () => sessionStorage.removeItem(TOKEN_KEY);

export class ApiError extends Error {
  constructor(message, status, problem) {
    super(plain(message)); // a problem's detail may quote a room name or a reason a sender chose
    this.status = status;
    this.problem = problem ?? {};
  }

  /** The token itself is no good (expired, wrong, missing): the console asks for another. */
  get signInAgain() {
    return this.status === 401;
  }

  get type() {
    return (this.problem.type ?? '').replace(/^urn:switchboard:problem:/, '');
  }
}

/** What a problem means, in words. */
export function describe(status, problem, what) {
  const type = (problem?.type ?? '').replace(/^urn:switchboard:problem:/, '');
  const detail = problem?.detail ? ` (${problem.detail})` : '';
  if (status === 401) {
    if (/expired/i.test(problem?.detail ?? '')) return 'Your token has expired. Sign in with a new one.';
    if (/needs a bearer token/.test(problem?.detail ?? '')) return 'Sign in with a token first.';
    return `The token was not accepted${detail}. Sign in with another one.`;
  }
  if (status === 403) {
    const scope = problem?.scope ?? (/scope (\S+)/.exec(problem?.detail ?? '') ?? [])[1];
    return scope ? `Your token may not do this: it needs the scope ${scope}.` : `Not allowed${detail}.`;
  }
  switch (type) {
    case 'session-ended': return 'The call has already ended.';
    case 'session-ending': return 'The call is ending; it takes no more commands.';
    // The transcript service names a stored call it does not hold the same way: its pages say what they asked for.
    case 'session-not-found':
    case 'unknown-session': return what ? `${what} was not found${detail}.` : `No live call is known for this room${detail}.`;
    case 'command-rejected': return `REJECTED: ${problem.reason ?? problem.detail ?? 'the agent refused it'}`;
    case 'command-expired': return 'EXPIRED: no worker carried it out in time.';
    case 'publish-failed': return 'Kafka did not take the command in time. Try again.';
    case 'dialing-not-configured': return `Outbound calls are not set up here${detail}.`;
    case 'transfers-not-configured': return `Call transfers are not set up here${detail}.`;
    case 'room-busy': return `That room already has a call${detail}.`;
    default: break;
  }
  if (status === 404) return `${what ?? 'It'} was not found${detail}.`;
  if (status === 400 || status === 422) return `Please check the form: ${problem?.detail ?? problem?.title ?? 'something is not valid'}.`;
  if (status >= 500) return `The service had a problem (${status} ${problem?.title ?? ''})${detail}. Try again in a moment.`;
  return `${problem?.title ?? `HTTP ${status}`}${detail}.`;
}

let config = null;
/** The console's settings and who the token is; asks the gateway once per sign-in. */
export async function consoleConfig() {
  config ??= await request('/console/config');
  return config;
}
export const resetConfig = () => { config = null; };
/** The settings of the token the tab holds, when they have been asked for (null before). */
export const currentConfig = () => config;

/** Who another token is as the gateway reads it (its subject, tenant and scopes), without signing in with it. */
export const configOf = (other) => request('/console/config', {bearer: other});

export const may = (scope) => config?.scopes?.includes(scope) ?? false;

/** A URL on the transcript service. */
export const transcripts = (path) => `${config?.transcriptsUrl ?? ''}${path}`;

/**
 * A request with the token. Resolves with the parsed JSON (or text), or rejects with an ApiError in words.
 * options: method, body (sent as JSON), accept, what (a noun for messages), raw (resolve with the Response), bearer
 * (another token than the tab's), idempotencyKey (sent as Idempotency-Key, so that a retry does not do it twice).
 */
export async function request(url, {method = 'GET', body, accept = 'application/json', what, raw = false, signal, bearer, idempotencyKey} = {}) {
  const headers = {Accept: `${accept}, application/problem+json`};
  if (idempotencyKey) headers['Idempotency-Key'] = idempotencyKey;
  const credential = bearer ?? token();
  if (credential) headers.Authorization = `Bearer ${credential}`;
  if (body !== undefined) headers['Content-Type'] = 'application/json';
  let response;
  try {
    response = await fetch(url, {method, headers, body: body === undefined ? undefined : JSON.stringify(body), signal});
  } catch (e) {
    if (e.name === 'AbortError') throw e;
    throw new ApiError(`Cannot reach ${where(url)}. Is it running?`, 0);
  }
  if (!response.ok && response.status !== 202) {
    const problem = await response.json().catch(() => ({}));
    throw new ApiError(describe(response.status, problem, what), response.status, problem);
  }
  if (raw) return response;
  const type = response.headers.get('Content-Type') ?? '';
  return type.includes('json') ? response.json() : response.text();
}

function where(url) {
  return url.startsWith('http') && !url.startsWith(location.origin) ? 'the transcript service' : 'the context gateway';
}

/**
 * Follows a Server-Sent Events stream with fetch (EventSource cannot send the Authorization header), reconnecting
 * after a dropped connection. onEvent(name, data, id); onState('open' | 'retrying' | 'closed' | 'failed', error).
 * A stream the server ends on purpose (a transcript whose call ended) is not reopened unless reopen is set (the
 * gateway's stream, which only ends when the gateway goes away); one it ends because the token expired fails with a
 * 401 ApiError (signInAgain). Returns a function that stops following.
 */
export function follow(url, onEvent, onState = () => {}, {reopen = false} = {}) {
  const controller = new AbortController();
  let stopped = false;
  (async () => {
    let delay = 500;
    while (!stopped) {
      try {
        const response = await request(url, {accept: 'text/event-stream', raw: true, signal: controller.signal});
        onState('open');
        delay = 500;
        // The server ends a stream whose token expired with an event 'expired': signing in again is the way on.
        let expired = null;
        await readEvents(response.body, (name, data, id) => {
          if (name === 'expired') expired = new ApiError(describe(401, {detail: data?.detail ?? 'the token has expired'}), 401, data);
          else onEvent(name, data, id);
        });
        if (stopped) return;
        if (expired) {
          onState('failed', expired);
          return;
        }
        if (!reopen) {
          onState('closed');
          return;
        }
        onState('retrying', new ApiError('the stream was closed', 0));
        await new Promise((resolve) => setTimeout(resolve, delay));
      } catch (e) {
        if (stopped || e.name === 'AbortError') return;
        const permanent = e instanceof ApiError && e.status >= 400 && e.status < 500 && e.status !== 404;
        onState(permanent ? 'failed' : 'retrying', e);
        if (permanent) return;
        await new Promise((resolve) => setTimeout(resolve, delay));
        delay = Math.min(delay * 2, 5000);
      }
    }
  })();
  return () => {
    stopped = true;
    controller.abort();
  };
}

async function readEvents(body, onEvent) {
  const reader = body.pipeThrough(new TextDecoderStream()).getReader();
  let buffer = '';
  let name = 'message';
  let data = [];
  let id = null;
  for (;;) {
    const {value, done} = await reader.read();
    if (done) return;
    buffer += value;
    let newline;
    while ((newline = buffer.search(/\r?\n/)) >= 0) {
      const line = buffer.slice(0, newline);
      buffer = buffer.slice(newline + (buffer[newline] === '\r' ? 2 : 1));
      if (line === '') {
        if (data.length) {
          const text = data.join('\n');
          let parsed = text;
          try { parsed = JSON.parse(text); } catch { /* plain text data */ }
          onEvent(name, parsed, id);
        }
        name = 'message';
        data = [];
        id = null;
      } else if (!line.startsWith(':')) {
        const colon = line.indexOf(':');
        const field = colon < 0 ? line : line.slice(0, colon);
        const value_ = colon < 0 ? '' : line.slice(colon + 1).replace(/^ /, '');
        if (field === 'event') name = value_;
        else if (field === 'data') data.push(value_);
        else if (field === 'id') id = value_;
      }
    }
  }
}
