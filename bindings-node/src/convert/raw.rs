//! Reads of a JavaScript string's UTF-8 and of a buffer's bytes straight through N-API: every
//! argument's text passes here, so a short string is read with one engine call into a buffer on
//! the stack, and bytes are copied out of the engine's memory at once.

use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::ptr;

use napi::bindgen_prelude::{BufferSlice, Object};
use napi::{JsValue, Result, Unknown, sys};

use super::check;

/// A JavaScript string as UTF-8 (a lone surrogate becomes U+FFFD), read with one engine call
/// when it is short.
pub(crate) fn string_of(env: sys::napi_env, value: sys::napi_value) -> Result<String> {
    let mut buffer = MaybeUninit::uninit();
    text_of(env, value, &mut buffer).map(Cow::into_owned)
}

/// `read` of the string [`string_of`] would return, without a copy of its own when the string
/// is short (for a caller that only looks at it).
pub(crate) fn with_string_of<R>(
    env: sys::napi_env,
    value: sys::napi_value,
    read: impl FnOnce(&str) -> R,
) -> Result<R> {
    let mut buffer = MaybeUninit::uninit();
    text_of(env, value, &mut buffer).map(|text| read(&text))
}

/// Strings up to this many bytes of UTF-8 are read into a buffer on the stack.
const SHORT: usize = 1024;

/// The string's text: borrowed from `buffer` when it is short and valid, else owned (a long
/// string is read into its own allocation, which is then the text without another copy).
///
/// `env` and `value` must be the live environment of the current call and a value handle of
/// that call's scope (every caller passes what N-API gave it for this call); a value that is
/// not a string is reported by the engine as an error, never read.
fn text_of<'b>(
    env: sys::napi_env,
    value: sys::napi_value,
    // Not zeroed: three reads a call would clear 3 KiB for nothing. Only the bytes the engine
    // says it wrote are ever read.
    buffer: &'b mut MaybeUninit<[u8; SHORT]>,
) -> Result<Cow<'b, str>> {
    let mut written = 0;
    // SAFETY: `env` and `value` are valid for this call (see above). The pointer and size
    // describe `buffer`, which is SHORT bytes long and exclusively borrowed, and the engine
    // writes at most SHORT bytes there (SHORT - 1 and a NUL); `written` is a live `usize`.
    check(unsafe {
        sys::napi_get_value_string_utf8(env, value, buffer.as_mut_ptr().cast(), SHORT, &mut written)
    })?;
    // Only whole characters (at most 4 bytes) are written, so room left for one more means
    // nothing was cut off.
    if written + 4 < SHORT - 1 {
        // SAFETY: the call above succeeded and wrote `written` bytes (fewer than SHORT) at the
        // start of `buffer`, so those bytes are initialized; the slice borrows `buffer` for 'b
        // and nothing writes to it while the slice lives.
        let text = unsafe { std::slice::from_raw_parts(buffer.as_ptr().cast::<u8>(), written) };
        // The engine writes valid UTF-8, and `from_utf8` checks ASCII a word at a time where
        // the lossy reading goes byte by byte; lossy stays as the answer to the unexpected.
        return Ok(match std::str::from_utf8(text) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(text),
        });
    }
    let mut length = 0;
    // SAFETY: `env` and `value` as above; a null buffer asks only for the length, which the
    // engine writes to the live `length`.
    check(unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut length) })?;
    let mut bytes = vec![0u8; length + 1];
    // SAFETY: `env` and `value` as above; `bytes` is an initialized, exclusively borrowed
    // allocation of `length + 1` bytes, the size passed, so the engine's write (the text and
    // its NUL) stays inside it; `written` is a live `usize`.
    check(unsafe {
        sys::napi_get_value_string_utf8(
            env,
            value,
            bytes.as_mut_ptr().cast(),
            length + 1,
            &mut written,
        )
    })?;
    bytes.truncate(written);
    Ok(Cow::Owned(String::from_utf8(bytes).unwrap_or_else(
        |error| String::from_utf8_lossy(error.as_bytes()).into_owned(),
    )))
}

/// The bytes of a `Buffer`, typed array or `ArrayBuffer` (`value` must be one of them, as the
/// callers check first; anything else is an error from the engine).
pub fn bytes_of(value: Unknown<'_>) -> Result<Vec<u8>> {
    // SAFETY: `Object::from_napi_value` only wraps the handle; the callers have seen that the
    // value is an object (a buffer, typed array or `ArrayBuffer` is one), and every use of the
    // wrapper below is an N-API call that checks the value's type itself.
    let object: Object<'_> = unsafe { value.cast() }?;
    if object.is_arraybuffer()? {
        let mut data = ptr::null_mut();
        let mut length = 0;
        // SAFETY: the handle and its environment come from the current call, the value is an
        // `ArrayBuffer` (checked just above), and `data` and `length` are live outputs.
        let status = unsafe {
            sys::napi_get_arraybuffer_info(object.value().env, object.raw(), &mut data, &mut length)
        };
        return copy_raw(status, data, length);
    }
    if object.is_typedarray()? && !object.is_buffer()? {
        let mut kind = 0;
        let mut count = 0;
        let mut data = ptr::null_mut();
        let mut arraybuffer = ptr::null_mut();
        let mut offset = 0;
        // SAFETY: the handle and its environment come from the current call, the value is a
        // typed array (checked just above), and every output pointer is a live local.
        let status = unsafe {
            sys::napi_get_typedarray_info(
                object.value().env,
                object.raw(),
                &mut kind,
                &mut count,
                &mut data,
                &mut arraybuffer,
                &mut offset,
            )
        };
        // `count` is in elements; `data` already points at the view's first byte.
        let width = match kind {
            sys::TypedarrayType::int16_array | sys::TypedarrayType::uint16_array => 2,
            sys::TypedarrayType::int32_array
            | sys::TypedarrayType::uint32_array
            | sys::TypedarrayType::float32_array => 4,
            sys::TypedarrayType::float64_array
            | sys::TypedarrayType::bigint64_array
            | sys::TypedarrayType::biguint64_array => 8,
            _ => 1,
        };
        return copy_raw(status, data, count * width);
    }
    // SAFETY: what is left is a `Buffer` (the callers accept only buffers, typed arrays and
    // `ArrayBuffer`s, and the other two returned above); `BufferSlice::from_napi_value` asks
    // the engine for its memory with `napi_get_buffer_info`, which fails for anything else.
    let slice: BufferSlice<'_> = unsafe { value.cast() }?;
    Ok(slice.to_vec())
}

/// Copies `length` bytes at `data`, which an N-API `*_info` call that returned `status`
/// reported as a view's memory.
fn copy_raw(
    status: sys::napi_status,
    data: *mut std::ffi::c_void,
    length: usize,
) -> Result<Vec<u8>> {
    check(status)?;
    if data.is_null() || length == 0 {
        return Ok(Vec::new());
    }
    // SAFETY: the call succeeded, so `data` points at the view's `length` bytes, which the
    // engine keeps alive and unmoved while this call holds the value's handle (no JavaScript
    // runs between the info call and this copy); the copy ends the borrow before returning.
    Ok(unsafe { std::slice::from_raw_parts(data as *const u8, length) }.to_vec())
}
