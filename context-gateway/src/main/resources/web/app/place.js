// Place an outbound call through the gateway, then follow it on its call page (the live list shows it too, as it shows
// every outbound call of the tenant).
import {h, fill, field} from './dom.js';
import {request} from './api.js';

/**
 * The Idempotency-Key for a submitted form: the last one again when the form holds the same values (a retry after an
 * answer that was lost must not place a second call), a new one when anything was changed. {filled, key}.
 */
export function keyFor(last, values, newKey = () => crypto.randomUUID()) {
  const filled = JSON.stringify(values);
  return last?.filled === filled ? last : {filled, key: newKey()};
}

export function placePage({main}) {
  let sent = null;
  const to = h('input', {type: 'tel', name: 'to', required: true, placeholder: '+15551234567'});
  const instructions = h('textarea', {name: 'instructions', rows: 4});
  const from = h('input', {type: 'tel', name: 'from'});
  const trunk = h('input', {type: 'text', name: 'trunkId', pattern: '[A-Za-z0-9_\\-]{1,100}', autocomplete: 'off', spellcheck: 'false'});
  const output = h('p', {class: 'outcome', role: 'status'});
  const submit = h('button', {type: 'submit'}, 'Call');
  fill(main, h('h1', {}, 'Place a call'), h('form', {class: 'panel narrow', onsubmit: async (event) => {
    event.preventDefault();
    submit.disabled = true;
    output.className = 'outcome';
    output.textContent = 'Dialling…';
    try {
      const body = {to: to.value, instructions: instructions.value || undefined, from: from.value || undefined, trunkId: trunk.value || undefined};
      sent = keyFor(sent, body);
      const call = await request('/v1/calls', {method: 'POST', what: 'The call', body, idempotencyKey: sent.key});
      location.hash = `#/call/${encodeURIComponent(call.room)}`;
    } catch (e) {
      output.className = 'outcome rejected';
      output.textContent = e.message;
    } finally {
      submit.disabled = false;
    }
  }},
  field('Number', to, 'E.164 (+15551234567) or a SIP user (sip:alice)'),
  field('Instructions for the agent', instructions),
  field('Caller id', from, 'Optional; the trunk\'s own number when empty'),
  field('Trunk', trunk, 'Optional: a LiveKit outbound trunk (ST_…); the gateway\'s own when empty'),
  submit, output));
  to.focus();
}
