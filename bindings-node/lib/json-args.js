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
  const names = Object.keys(value);
  for (let index = 0; index < names.length; index++) {
    if (!survivesJson(value[names[index]], depth + 1)) return false;
  }
  return true;
}

/**
 * The options object last written as JSON, when its members are all strings, numbers, booleans
 * or `null`: then comparing the members is a complete check that it still writes `json`.
 * Apps mostly pass one options object to every call.
 */
const lastOptions = { object: null, json: '', names: [], values: [] };

function isUnchanged(options) {
  if (options !== lastOptions.object || !isPlainObject(options)) return false;
  const names = Object.keys(options);
  if (names.length !== lastOptions.names.length) return false;
  for (let index = 0; index < names.length; index++) {
    const name = names[index];
    if (name !== lastOptions.names[index] || !Object.is(options[name], lastOptions.values[index])) {
      return false;
    }
  }
  return true;
}

function remember(options, json) {
  const names = Object.keys(options);
  const values = names.map((name) => options[name]);
  const flat = values.every((value) => value === null || typeof value !== 'object');
  lastOptions.object = flat ? options : null;
  lastOptions.json = json;
  lastOptions.names = names;
  lastOptions.values = values;
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
