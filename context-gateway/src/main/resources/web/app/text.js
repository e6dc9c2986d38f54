// Text that came from calls and their senders (what a caller said, the names a sender gave itself, room names,
// reasons), as the console shows it. No DOM here: these are plain functions (context-gateway's ConsoleScriptsTest runs
// them under Node).

/**
 * The bidirectional embeddings, overrides and isolates (U+202A-U+202E, U+2066-U+2069): they show the characters after
 * them in another order ("\u202Egnp.exe" reads "exe.png"), so a line could make an operator read what it does not say.
 */
const BIDI_CONTROLS = /[\u202A-\u202E\u2066-\u2069]/g;
/** The left-to-right, right-to-left and Arabic letter marks: harmless in what was said, dropped from names. */
const MARKS = /[\u200E\u200F\u061C]/g;
/** Control characters, line and paragraph separators and runs of white space: a name stays on one line. */
const BREAKS = /[\u0000-\u001F\u007F-\u009F\u2028\u2029\s]+/g;

/** The text without the bidirectional controls (as the transcript exports drop them); the words and marks are kept. */
export function plain(text) {
  return String(text ?? '').replace(BIDI_CONTROLS, '');
}

/** A name on one line: no bidirectional controls or marks, no control characters (as the exports' speaker labels). */
export function label(text) {
  return plain(text).replace(MARKS, '').replace(BREAKS, ' ').trim();
}

const ROLE_NAMES = {USER: 'Caller', AGENT: 'Agent', INJECTED: 'Injected', SYSTEM: 'System'};

/**
 * Who a transcript line is by: {who, alias}. An injected line names who sent it by the id its token gave (as the
 * exports do: "Injected (local-admin)"), never by the name the sender chose for itself (X-Switchboard-Issuer); that
 * display name is the alias, for a label of its own, null when there is none or it says the same.
 */
export function speaker(segment) {
  const role = segment?.role ?? 'SYSTEM';
  if (role !== 'INJECTED') return {who: ROLE_NAMES[role] ?? (label(role) || 'Unknown'), alias: null};
  const by = segment.injectedBy;
  const id = label(by?.id) || label(by?.kind) || 'unknown';
  return {who: `Injected (${id})`, alias: aliasOf(by, id)};
}

/** Who sent a command: {who, alias} as for an injected line; "another system" when the gateway does not know. */
export function issuerWords(issuer) {
  if (!issuer) return {who: 'another system', alias: null};
  const id = label(issuer.id) || label(issuer.kind) || 'unknown';
  return {who: id, alias: aliasOf(issuer, id)};
}

function aliasOf(issuer, id) {
  const name = label(issuer?.displayName);
  return name && name !== id ? name : null;
}

/** Who a token is, as the gateway reads it (GET /console/config): "local-admin · tenant acme". */
export function identity(config) {
  return `${label(config?.subject) || 'someone'} · tenant ${label(config?.tenant) || 'unknown'}`;
}

/**
 * What the "Switch token?" prompt says: who the link's token is in place of whom, each with its tenant once the gateway
 * has said ({subject, tenant}; a subject alone until then), and, when the tenant would change, that it would.
 */
export function switchWords(current, offered) {
  const name = (who) => (who?.tenant ? identity(who) : label(who?.subject) || 'someone');
  const sentence = `The link you opened signs this tab in as ${name(offered)}, in place of ${current ? name(current) : 'the token it holds'}.`;
  if (!current?.tenant || !offered?.tenant || current.tenant === offered.tenant) return sentence;
  return `${sentence} That is another tenant: this tab would show and act on the calls of tenant ${label(offered.tenant)},`
    + ` no longer those of tenant ${label(current.tenant)}.`;
}

/** A percent-encoded part of an address, decoded; null when it is not one (a lone "%", "%zz", cut-off UTF-8). */
export function decoded(component) {
  try {
    return decodeURIComponent(component);
  } catch {
    return null; // URIError: the address was typed or cut off by hand, not made by the console
  }
}

/**
 * What a "#token=..." fragment offers: {token}, {problem} (a sentence for the sign-in form) when it cannot be read, or
 * null when the fragment is no sign-in link.
 */
export function fragmentToken(hash) {
  const match = /^#token=([^&]+)/.exec(hash);
  if (!match) return null;
  const token = decoded(match[1])?.trim();
  return token ? {token} : {problem: 'The sign-in link is damaged (its token is not validly encoded): paste the token below, or ask for a new link.'};
}
