// Elements the console builds show no bidirectional controls, whatever text they are given (app/dom.js), and an
// injected line names who sent it by its token's id (app/transcript.js). Run by ConsoleScriptsTest under Node, on a
// stand-in for the few DOM calls these helpers make.
import {test} from 'node:test';
import assert from 'node:assert/strict';

class FakeNode {
}

class FakeText extends FakeNode {
  constructor(text) {
    super();
    this.textContent = text;
  }
}

class FakeElement extends FakeNode {
  constructor(tag) {
    super();
    this.tagName = tag.toUpperCase();
    this.attributes = {};
    this.children = [];
    this.dataset = {};
    this.className = '';
  }

  setAttribute(name, value) {
    this.attributes[name] = value;
  }

  addEventListener() {
  }

  append(...nodes) {
    this.children.push(...nodes);
  }

  get textContent() {
    return this.children.map((child) => child.textContent).join('');
  }
}

globalThis.Node = FakeNode;
globalThis.document = {createElement: (tag) => new FakeElement(tag), createTextNode: (text) => new FakeText(text)};
globalThis.CSS = {escape: (s) => s};

const {h} = await import('../app/dom.js');
const {showLine} = await import('../app/transcript.js');
const {commandRow} = await import('../app/call.js');

test('text and tooltips are shown without the controls that reorder them', () => {
  const element = h('span', {title: 'see \u202Egnp.exe', 'data-x': 'kept'}, 'refund \u2066approved\u2069', 42, h('b', {}, '\u202Dx'));
  assert.equal(element.textContent, 'refund approved42x');
  assert.equal(element.attributes.title, 'see gnp.exe');
});

test('an injected line says who sent it by its token, and the name the sender chose only as an alias', () => {
  const list = new FakeElement('ol');
  list.querySelector = () => null;
  list.insertBefore = (item) => list.children.push(item);
  showLine(list, {segmentId: 'g1', role: 'INJECTED', startMs: 1200, text: 'Order \u202E2401 ships',
    injectedBy: {kind: 'SERVICE', id: 'local-admin', displayName: 'order-system'}});
  const text = list.children[0].textContent;
  assert.match(text, /Injected \(local-admin\) as order-system: Order 2401 ships$/);
  assert.doesNotMatch(text, /Injected \(order-system\)/);
});

test('a command\'s sender and the name it gave itself are apart in the text, as in the transcript', () => {
  const row = commandRow({commandId: 'c1', issuedAt: '2026-01-01T10:00:00Z', type: 'SAY', status: 'APPLIED',
    issuer: {kind: 'OPERATOR', id: 'local-admin', displayName: 'desk'}});
  assert.match(row.textContent, /local-admin as desk/);
});
