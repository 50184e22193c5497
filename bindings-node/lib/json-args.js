'use strict';

// Arguments that cross to the addon as JSON text.
//
// Reading an object member by member through N-API costs several engine calls per member; V8's
// own `JSON.stringify` writes the same object in a fraction of that, and the core parses the
// text back into exactly the value the member-by-member reading would have produced, as long as
// the value has nothing JSON changes or drops. Everything else (a `Date`, a `Buffer`, a
// `RegExp` audience, `undefined`, `NaN`, `-0`, a `toJSON`, a class instance, a cycle) goes the
// member-by-member way, where the core sees it as jsonwebtoken does.

/** Deeper values take the general way, which knows the core's depth limit and cycles. */
const MAX_DEPTH = 32;

/** Bits of the addon's `jsonArgs` argument: which arguments are JSON text. */
const PAYLOAD_IS_JSON = 1;
const OPTIONS_IS_JSON = 2;

function isPlainObject(value) {
  const prototype = Object.getPrototypeOf(value);
  return prototype === Object.prototype || prototype === null;
}

/** Whether `JSON.parse(JSON.stringify(value))` is `value` member for member. */
function survivesJson(value, depth) {
  switch (typeof value) {
    case 'string':
    case 'boolean':
      return true;
    case 'number':
      return Number.isFinite(value) && !(value === 0 && 1 / value < 0);
    case 'object':
      break;
    default:
      return false;
  }
  if (value === null) return true;
  if (depth >= MAX_DEPTH || typeof value.toJSON !== 'undefined') return false;
  if (Array.isArray(value)) {
    if (Object.getPrototypeOf(value) !== Array.prototype) return false;
    for (let index = 0; index < value.length; index++) {
      if (!(index in value) || !survivesJson(value[index], depth + 1)) return false;
    }
    return true;
  }
  if (!isPlainObject(value)) return false;
  // `for...in` walks V8's enum cache without making an array of the keys. It also visits
  // enumerable members inherited from a polluted `Object.prototype`, which JSON skips: checking
  // those too can only send a payload the general way.
  for (const name in value) {
    if (!survivesJson(value[name], depth + 1)) return false;
  }
  return true;
}

/**
 * The options object of the last call. Once the same object comes twice in a row and its
 * members are all strings, numbers, booleans or `null`, its JSON text is kept with what the
 * members were (`names`, `values`): comparing the members is then a complete check that it
 * still writes `json`. Apps mostly pass one options object to every call; an object literal
 * written in the call is a new object each time and costs no more than remembering it.
 */
const lastOptions = { object: null, json: '', names: null, values: null };

function isUnchanged(options) {
  const { names, values } = lastOptions;
  if (options !== lastOptions.object || names === null || !isPlainObject(options)) return false;
  // As in survivesJson: no key array, and an inherited member only ever makes it "changed".
  let index = 0;
  for (const name in options) {
    if (name !== names[index] || !Object.is(options[name], values[index])) return false;
    index++;
  }
  return index === names.length;
}

function remember(options, json) {
  const seenBefore = options === lastOptions.object;
  lastOptions.object = options;
  lastOptions.json = json;
  lastOptions.names = null;
  lastOptions.values = null;
  if (!seenBefore) return;
  const names = Object.keys(options);
  const values = names.map((name) => options[name]);
  if (values.every((value) => value === null || typeof value !== 'object')) {
    lastOptions.names = names;
    lastOptions.values = values;
  }
}

/** The options' JSON text, or `undefined` when JSON would not carry them exactly. */
function optionsJson(options) {
  if (isUnchanged(options)) return lastOptions.json;
  if (!survivesJson(options, 0)) return undefined;
  const json = JSON.stringify(options);
  remember(options, json);
  return json;
}

/**
 * The payload and options as the addon takes them, with the `jsonArgs` bits saying which of
 * the two are JSON text. A payload that is not an object (a string, a `Buffer`) stays as is.
 */
function jsonArgs(payload, options) {
  let bits = 0;
  if (payload !== null && typeof payload === 'object' && survivesJson(payload, 0)) {
    payload = JSON.stringify(payload);
    bits |= PAYLOAD_IS_JSON;
  }
  if (options !== null && typeof options === 'object') {
    const json = optionsJson(options);
    if (json !== undefined) {
      options = json;
      bits |= OPTIONS_IS_JSON;
    }
  }
  return { payload, options, bits };
}

module.exports = { jsonArgs, survivesJson, OPTIONS_IS_JSON, PAYLOAD_IS_JSON };
