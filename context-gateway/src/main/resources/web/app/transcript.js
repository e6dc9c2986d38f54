// A transcript as lines: caller, agent, injected and system lines look different; interrupted agent lines are marked.
import {h, offset} from './dom.js';
import {speaker} from './text.js';

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

/**
 * One line. Who sent an injected line is the id its token gave, the name the sender chose for itself only a label after
 * it. Each run of what was said or named is isolated (dir="auto"): right-to-left words reorder nothing around them.
 */
function line(segment) {
  const role = segment.role ?? 'SYSTEM';
  const {who, alias} = speaker(segment);
  return h('li', {class: `line ${role.toLowerCase()}${segment.isFinal === false ? ' interim' : ''}`,
    'data-segment': segment.segmentId, 'data-start': segment.startMs ?? 0, 'data-role': role},
  h('span', {class: 'at'}, `[${offset(segment.startMs)}]`), ' ',
  h('span', {class: 'who'}, h('bdi', {}, who), alias ? [' ', aliasTag(alias)] : null, ':'), ' ',
  h('span', {class: 'text', dir: 'auto'}, segment.text),
  // A space before a tag, not only the stylesheet's margin: copied text and screen readers keep the words apart.
  segment.interrupted ? [' ', h('span', {class: 'tag', title: 'The caller cut in: only these words were played'}, 'interrupted')] : null);
}

/** The name a sender gave itself: shown as its own, not as who it is. */
export function aliasTag(alias) {
  return h('span', {class: 'tag alias', title: 'The name the sender gave itself (X-Switchboard-Issuer); not checked'},
    'as ', h('bdi', {}, alias));
}
