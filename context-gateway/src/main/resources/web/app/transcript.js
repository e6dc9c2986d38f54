// A transcript as lines: caller, agent, injected and system lines look different; interrupted agent lines are marked.
import {h, offset} from './dom.js';

const ROLE_NAMES = {USER: 'Caller', AGENT: 'Agent', INJECTED: 'Injected', SYSTEM: 'System'};

export function transcriptList() {
  return h('ol', {class: 'transcript', id: 'transcript', 'aria-live': 'polite', 'aria-relevant': 'additions'});
}

/** Adds or replaces (same segmentId: a newer version of the line) a line, keeping the spoken order. */
export function showLine(list, segment) {
  const item = line(segment);
  const existing = list.querySelector(`[data-segment="${CSS.escape(segment.segmentId)}"]`);
  if (existing) {
    existing.replaceWith(item);
    return;
  }
  const later = [...list.children].find((other) => Number(other.dataset.start) > segment.startMs);
  list.insertBefore(item, later ?? null);
}

function line(segment) {
  const role = segment.role ?? 'SYSTEM';
  let who = ROLE_NAMES[role] ?? role;
  if (role === 'INJECTED') {
    const by = segment.injectedBy?.displayName ?? segment.injectedBy?.id ?? segment.label;
    if (by) who += ` (${by})`;
  }
  return h('li', {class: `line ${role.toLowerCase()}${segment.isFinal === false ? ' interim' : ''}`,
    'data-segment': segment.segmentId, 'data-start': segment.startMs ?? 0, 'data-role': role},
  h('span', {class: 'at'}, `[${offset(segment.startMs)}]`), ' ',
  h('span', {class: 'who'}, `${who}:`), ' ',
  h('span', {class: 'text'}, segment.text),
  segment.interrupted ? h('span', {class: 'tag', title: 'The caller cut in: only these words were played'}, 'interrupted') : null);
}
