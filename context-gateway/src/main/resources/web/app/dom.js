// Small DOM helpers: elements are built with text nodes, never from HTML strings, so nothing a caller said can run;
// and no text is shown with the bidirectional controls that would reorder what an operator reads (text.js).
import {plain} from './text.js';

/** h('a', {href: '#/x'}, 'text', child): an element with attributes (on* as listeners) and children. */
export function h(tag, attributes = {}, ...children) {
  const element = document.createElement(tag);
  for (const [name, value] of Object.entries(attributes ?? {})) {
    if (value === undefined || value === null || value === false) continue;
    if (name.startsWith('on') && typeof value === 'function') {
      element.addEventListener(name.slice(2).toLowerCase(), value);
    } else if (name === 'class') {
      element.className = value;
    } else if (name in element && typeof value !== 'string') {
      element[name] = value;
    } else if (name === 'title' || name === 'aria-label') {
      element.setAttribute(name, plain(value)); // a tooltip or a name read out is text shown too
    } else {
      element.setAttribute(name, value === true ? '' : String(value));
    }
  }
  append(element, children);
  return element;
}

function append(element, children) {
  for (const child of children.flat(Infinity)) {
    if (child === undefined || child === null || child === false) continue;
    element.append(child instanceof Node ? child : document.createTextNode(plain(child)));
  }
}

/** Replaces an element's children. */
export function fill(element, ...children) {
  element.replaceChildren();
  append(element, children);
  return element;
}

/** A labelled form field: the label is tied to the control, so screen readers and clicks find it. */
let fieldCount = 0;
export function field(label, control, hint) {
  const id = control.id || `f${++fieldCount}`;
  control.id = id;
  const hintElement = hint ? h('span', {class: 'hint', id: `${id}-hint`}, hint) : null;
  if (hintElement) control.setAttribute('aria-describedby', hintElement.id);
  if (control.type === 'checkbox') {
    return h('div', {class: 'field check'}, control, h('label', {for: id}, label), hintElement);
  }
  return h('div', {class: 'field'}, h('label', {for: id}, label), control, hintElement);
}

export function duration(ms) {
  if (ms === null || ms === undefined || Number.isNaN(ms)) return '';
  const seconds = Math.max(0, Math.floor(ms / 1000));
  const h_ = Math.floor(seconds / 3600);
  const m = Math.floor((seconds % 3600) / 60);
  const s = seconds % 60;
  const two = (n) => String(n).padStart(2, '0');
  return h_ > 0 ? `${h_}:${two(m)}:${two(s)}` : `${m}:${two(s)}`;
}

export function time(instant) {
  if (!instant) return '';
  const date = new Date(instant);
  return date.toLocaleString(undefined, {dateStyle: 'short', timeStyle: 'medium'});
}

/** "[01:02.3]": a line's offset into the call. */
export function offset(ms) {
  const tenths = Math.floor((ms ?? 0) / 100);
  const minutes = Math.floor(tenths / 600);
  const seconds = ((tenths % 600) / 10).toFixed(1).padStart(4, '0');
  return `${String(minutes).padStart(2, '0')}:${seconds}`;
}

/** Turns a search highlight ("...<mark>word</mark>...", the rest HTML-escaped) into text and mark elements. */
export function highlighted(text) {
  const parts = (text ?? '').split(/<\/?mark>/);
  const decode = (s) => new DOMParser().parseFromString(`<!doctype html><body>${s}`, 'text/html').body.textContent;
  return parts.map((part, i) => (i % 2 === 1 ? h('mark', {}, decode(part)) : decode(part)));
}
