'use strict';

// The error classes of jsonwebtoken 9, shaped as there: constructor functions whose instances
// carry own `name` and `message` (and `inner`, `expiredAt`, `date`), so `instanceof`, property
// listings and JSON.stringify of an error look the same as with jsonwebtoken.

function JsonWebTokenError(message, error) {
  Error.call(this, message);
  if (Error.captureStackTrace) {
    Error.captureStackTrace(this, this.constructor);
  }
  this.name = 'JsonWebTokenError';
  this.message = message;
  if (error) this.inner = error;
}
JsonWebTokenError.prototype = Object.create(Error.prototype);
JsonWebTokenError.prototype.constructor = JsonWebTokenError;

function NotBeforeError(message, date) {
  JsonWebTokenError.call(this, message);
  this.name = 'NotBeforeError';
  this.date = date;
}
NotBeforeError.prototype = Object.create(JsonWebTokenError.prototype);
NotBeforeError.prototype.constructor = NotBeforeError;

function TokenExpiredError(message, expiredAt) {
  JsonWebTokenError.call(this, message);
  this.name = 'TokenExpiredError';
  this.expiredAt = expiredAt;
}
TokenExpiredError.prototype = Object.create(JsonWebTokenError.prototype);
TokenExpiredError.prototype.constructor = TokenExpiredError;

/**
 * The one mapping from a native failure to the error jsonwebtoken raises: the class the core
 * names, its message, `expiredAt`/`date` from the core's instant, and the core's stable code as
 * a non-enumerable `code` (invisible to deep equality and JSON, like jsonwebtoken's errors).
 * With `boundary`, the stack trace starts at the caller of that public function.
 */
function toError(failure, boundary) {
  let error;
  switch (failure.className) {
    case 'TokenExpiredError':
      error = new TokenExpiredError(failure.message, new Date(failure.at * 1000));
      break;
    case 'NotBeforeError':
      error = new NotBeforeError(failure.message, new Date(failure.at * 1000));
      break;
    case 'JsonWebTokenError':
      error = new JsonWebTokenError(failure.message);
      break;
    // What jsonwebtoken lets escape from V8's JSON.parse, Node or jwa.
    case 'SyntaxError':
      error = new SyntaxError(failure.message);
      break;
    case 'TypeError':
      error = new TypeError(failure.message);
      break;
    default:
      error = new Error(failure.message);
  }
  if (boundary && Error.captureStackTrace) Error.captureStackTrace(error, boundary);
  Object.defineProperty(error, 'code', {
    value: failure.code,
    enumerable: false,
    writable: true,
    configurable: true,
  });
  return error;
}

module.exports = { JsonWebTokenError, NotBeforeError, TokenExpiredError, toError };
