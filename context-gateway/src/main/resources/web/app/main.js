// The console: a hash router over four pages, behind a sign-in with a bearer token.
import {h, fill, field} from './dom.js';
import {ApiError, claimedSubject, configOf, consoleConfig, currentConfig, forgetToken, may, resetConfig, setToken, token,
  tokenFromFragment} from './api.js';
import {decoded, identity, switchWords} from './text.js';
import {livePage} from './live.js';
import {callPage} from './call.js';
import {historyPage, storedCallPage} from './history.js';
import {placePage} from './place.js';
import './main.css';

const main = document.getElementById('main');
const banner = document.getElementById('banner');
let leave = () => {};
/** The pages, the scope each needs (README's table) and what the token may not do without it. */
const PAGES = {
  live: {scope: 'calls:read', title: 'Live calls', action: 'watch live calls'},
  call: {scope: 'calls:read', title: 'Call', action: 'watch calls'},
  history: {scope: 'transcripts:read', title: 'History', action: 'read past calls'},
  place: {scope: 'calls:dial', title: 'Place a call', action: 'place calls'},
};
/** Whether a page has been shown yet: the first one (the tab just opened) leaves the focus where the browser put it. */
let shown = false;

/** Shows a sentence at the top of the page (or hides it). */
export function announce(message) {
  banner.hidden = !message;
  banner.textContent = message ?? '';
}

function signIn(reason) {
  leave();
  leave = () => {};
  forgetToken();
  resetConfig();
  document.getElementById('sign-out').hidden = true;
  document.getElementById('who').textContent = '';
  // The pages are shown once a token says which of them it may open.
  for (const link of document.querySelectorAll('[data-nav]')) link.hidden = true;
  const input = h('textarea', {id: 'token', rows: 4, required: true, autocomplete: 'off', spellcheck: 'false'});
  const form = h('form', {class: 'panel narrow', onsubmit: (event) => {
    event.preventDefault();
    setToken(input.value);
    route();
  }},
  h('h1', {}, 'Sign in'),
  reason ? h('p', {class: 'error', role: 'alert'}, reason) : null,
  h('p', {}, 'Paste a bearer token for Switchboard\'s APIs. For the local stack, ', h('code', {}, './switchboard up'),
    ' prints a link that signs you in, and ', h('code', {}, './switchboard token'), ' prints a token.'),
  field('Token', input, 'Kept in this browser tab only (session storage).'),
  h('button', {type: 'submit'}, 'Sign in'));
  fill(main, form);
  input.focus();
}

async function route() {
  announce(null);
  const changed = shown;
  shown = true;
  if (!token()) {
    signIn();
    return;
  }
  let config;
  try {
    config = await consoleConfig();
  } catch (e) {
    if (e instanceof ApiError && e.signInAgain) {
      signIn(e.message);
    } else {
      fill(main, h('p', {class: 'error', role: 'alert'}, e.message));
    }
    return;
  }
  document.getElementById('who').textContent = identity(config);
  document.getElementById('sign-out').hidden = false;
  for (const link of document.querySelectorAll('[data-nav]')) link.hidden = !may(PAGES[link.dataset.nav].scope);

  const path = location.hash.replace(/^#/, '') || '/live';
  let [, page, rest] = /^\/([^/?]*)\/?([^?]*)/.exec(path) ?? [];
  if (!Object.hasOwn(PAGES, page)) page = 'live';
  const query = new URLSearchParams(path.includes('?') ? path.slice(path.indexOf('?') + 1) : '');
  const room = rest ? decoded(rest) : null;
  for (const link of document.querySelectorAll('[data-nav]')) {
    link.toggleAttribute('aria-current', link.dataset.nav === page || (page === 'call' && link.dataset.nav === 'live'));
  }
  leave();
  leave = () => {};
  const {scope, title, action} = PAGES[page];
  if (!may(scope)) {
    // Opened by its address: the page says what the token lacks instead of offering what would be refused.
    fill(main, h('h1', {}, title), h('p', {class: 'error', id: 'missing-scope'}, `Your token may not ${action}: it needs the scope ${scope}.`));
    if (changed) focusPage();
    return;
  }
  if (rest && room === null) {
    // Typed or cut off by hand ("#/call/%E0%A4%A"): no page can be shown for it, and nothing is asked of the APIs.
    fill(main, h('h1', {}, title), h('p', {class: 'error', role: 'alert', id: 'bad-address'},
      `This is not a valid address: the room in it is not validly encoded (${path.slice(0, 200)}).`));
    if (changed) focusPage();
    return;
  }
  const context = {main, announce, signIn};
  switch (page) {
    case 'call': leave = callPage(context, room); break;
    case 'history': leave = room ? storedCallPage(context, room, query.get('sessionId')) : historyPage(context, query); break;
    case 'place': leave = placePage(context); break;
    default: leave = livePage(context); break;
  }
  leave ??= () => {};
  if (changed) focusPage();
}

/**
 * After a page change the focus goes to the new page's heading (or the page), as a page load would put a screen
 * reader there; a page that focused one of its own fields (Place a call: the number) keeps that.
 */
function focusPage() {
  const active = document.activeElement;
  if (active !== main && main.contains(active)) return;
  const heading = main.querySelector('h1');
  if (heading) {
    heading.tabIndex = -1;
    heading.focus();
  } else {
    main.focus();
  }
}

/**
 * A sign-in link ("#token=...") signs the tab in. One that would replace the token the tab already holds is asked
 * about first: anyone can send a link, and a console quietly signed in as someone else would have the operator steer
 * (or read, or place) calls in that someone's name.
 */
function arrive() {
  const link = tokenFromFragment();
  const current = token();
  if (link?.problem) {
    // A damaged link signs no one in and out of nothing: a tab already signed in stays so and is told.
    if (current) {
      route();
      announce(link.problem);
    } else {
      signIn(link.problem);
    }
    return;
  }
  const offered = link?.token;
  if (offered && current && offered !== current) {
    confirmSwitch(offered);
    return;
  }
  if (offered) {
    setToken(offered);
    resetConfig();
  }
  route();
}

function confirmSwitch(offered) {
  leave();
  leave = () => {};
  const who = document.getElementById('who').textContent;
  const stay = h('button', {type: 'button', class: 'link', onclick: () => route()}, who ? `Stay signed in as ${who}` : 'Stay signed in');
  // Who each token is, tenant included, as the gateway reads them: until it has answered, the subjects they claim.
  const held = token();
  const current = currentConfig() ?? (held ? {subject: claimedSubject(held)} : null);
  const told = h('p', {id: 'switch-who'}, switchWords(current, {subject: claimedSubject(offered)}));
  // Not consoleConfig(): its answer must not land in the tab's settings after a switch has reset them.
  Promise.allSettled([currentConfig() ?? configOf(held), configOf(offered)]).then(([mine, theirs]) => {
    const words = switchWords(mine.status === 'fulfilled' ? mine.value : current,
      theirs.status === 'fulfilled' ? theirs.value : {subject: claimedSubject(offered)});
    told.textContent = theirs.status === 'fulfilled' ? words : `${words} The gateway does not accept that token: ${theirs.reason.message}`;
  });
  fill(main, h('section', {class: 'panel narrow'},
    h('h1', {}, 'Switch token?'),
    told,
    h('p', {}, 'Switch only if you asked for this link: what you do next is done in that token\'s name.'),
    h('div', {class: 'actions'},
      h('button', {type: 'button', onclick: () => {
        setToken(offered);
        resetConfig();
        route();
      }}, 'Switch'),
      stay)));
  stay.focus();
}

document.getElementById('sign-out').addEventListener('click', () => {
  history.replaceState(null, '', `${location.pathname}#/live`);
  signIn();
});
// Only "#/..." addresses are pages, and "#token=..." a sign-in link: any other fragment is a place on the page (the
// skip link's "#main"), never a page change.
window.addEventListener('hashchange', () => {
  if (location.hash === '' || location.hash.startsWith('#/') || location.hash.startsWith('#token=')) arrive();
});
// The skip link moves the focus to the page's content and leaves the address (and so the page) as it is.
document.querySelector('a.skip').addEventListener('click', (event) => {
  event.preventDefault();
  main.focus();
});
arrive();
