//! JavaScript values to and from the core's [`Value`].
//!
//! One recursive function, [`to_value`], turns any JavaScript argument into a [`Value`]. Which
//! distinctions it keeps depends on who looks at the value in `jsonwebtoken`: its own checks
//! see the arguments themselves (a plain object versus a `Date`, a `Buffer`, a `RegExp`
//! audience), while `JSON.stringify` sees the nested claims (it calls `toJSON` and serializes
//! any object by its own enumerable keys).

use std::borrow::Cow;
use std::mem::MaybeUninit;
use std::ptr;

use napi::bindgen_prelude::{
    Array, Buffer, BufferSlice, FromNapiValue, Function, JsObjectValue, Null, Object, ToNapiValue,
    TypeName, Undefined,
};
use napi::{Env, JsValue, Result, Unknown, ValueType, sys};
use qlik_jwt::Value;

/// Which root a conversion starts from; it decides how nested values are seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Root {
    /// A `sign` payload: the object as `jsonwebtoken` checks it, its claims as
    /// `JSON.stringify` writes them.
    Payload,
    /// A `sign`, `verify` or `decode` options object: option values as `jsonwebtoken` checks
    /// them (a `RegExp` audience, an array of them), the `header` extras' contents as
    /// `JSON.stringify` writes them.
    Options,
    /// Any other argument (a token, a key's parts), seen as `jsonwebtoken` checks it.
    Argument,
}

/// How one value is seen.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum View {
    /// As `JSON.stringify` sees it.
    Json,
    /// As `jsonwebtoken`'s checks see it; the view of its children follows.
    Checked { children: Children },
}

/// The view of the members of a checked object or array.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Children {
    /// Members seen by `JSON.stringify`.
    Json,
    /// Members checked themselves, with this view for their own members.
    Checked { grandchildren_json: bool },
}

impl Root {
    fn view(self) -> View {
        match self {
            Root::Payload => View::Checked {
                children: Children::Json,
            },
            Root::Options => View::Checked {
                children: Children::Checked {
                    grandchildren_json: true,
                },
            },
            Root::Argument => View::Checked {
                children: Children::Checked {
                    grandchildren_json: false,
                },
            },
        }
    }
}

/// Nesting deeper than this is not followed: the rest is replaced by an empty array, which
/// still leaves the value deeper than the core's own limit (1000, as V8's stack allows for
/// `JSON.stringify`), so the core reports it instead of the recursion overflowing the stack.
const MAX_DEPTH: usize = 1100;

/// The built-ins the conversion compares against, looked up once per conversion and only when
/// a value needs them, and the objects on the path from the root to the current value (to
/// notice a cycle).
struct Realm<'env> {
    env: &'env Env,
    object_prototype: Option<Unknown<'env>>,
    regexp: Option<Function<'env>>,
    root: Unknown<'env>,
    ancestors: Vec<sys::napi_value>,
}

impl<'env> Realm<'env> {
    fn new(env: &'env Env, root: Unknown<'env>) -> Self {
        Realm {
            env,
            object_prototype: None,
            regexp: None,
            root,
            ancestors: Vec::new(),
        }
    }

    fn object_prototype(&mut self) -> Result<Unknown<'env>> {
        if let Some(prototype) = self.object_prototype {
            return Ok(prototype);
        }
        let env = self.env.raw();
        let held = match self.env.get_instance_data::<Intrinsics>()? {
            Some(intrinsics) => intrinsics.object_prototype,
            None => {
                let object: Function<'env> = self.env.get_global()?.get_named_property("Object")?;
                let prototype: Unknown<'env> = object.get_named_property("prototype")?;
                let mut held = ptr::null_mut();
                check(unsafe { sys::napi_create_reference(env, prototype.raw(), 1, &mut held) })?;
                self.env.set_instance_data(
                    Intrinsics {
                        object_prototype: held,
                    },
                    (),
                    |_| {},
                )?;
                held
            }
        };
        let mut raw = ptr::null_mut();
        check(unsafe { sys::napi_get_reference_value(env, held, &mut raw) })?;
        let prototype = unsafe { Unknown::from_raw_unchecked(env, raw) };
        self.object_prototype = Some(prototype);
        Ok(prototype)
    }

    fn regexp(&mut self) -> Result<Function<'env>> {
        if let Some(regexp) = self.regexp {
            return Ok(regexp);
        }
        let regexp: Function<'env> = self.env.get_global()?.get_named_property("RegExp")?;
        self.regexp = Some(regexp);
        Ok(regexp)
    }

    fn is_ancestor(&self, object: &Object<'_>) -> Result<bool> {
        for ancestor in &self.ancestors {
            let mut same = false;
            check(unsafe {
                sys::napi_strict_equals(self.env.raw(), *ancestor, object.raw(), &mut same)
            })?;
            if same {
                return Ok(true);
            }
        }
        Ok(false)
    }

    /// A cycle: `JSON.stringify` of the argument throws V8's own `TypeError` naming it, which
    /// is what `jsonwebtoken` lets escape.
    fn cycle(&self) -> Result<Value> {
        let json: Object<'_> = self.env.get_global()?.get_named_property("JSON")?;
        let stringify: Function<'_, Unknown<'_>, Unknown<'_>> =
            json.get_named_property("stringify")?;
        stringify.apply(json, self.root)?;
        Ok(Value::Other("Object".to_owned()))
    }
}

/// The intrinsics of one JavaScript environment (the main thread or a worker) that every
/// conversion needs, held by a reference for the environment's life (it releases the
/// reference when it ends). `Object.prototype` is the one object a plain object's prototype is
/// compared with; looking it up through the global `Object` on every call cost three engine
/// calls, and `jsonwebtoken`'s `isPlainObject` (lodash) does not follow a replaced global
/// `Object` either: it captured what it needs when it was loaded.
struct Intrinsics {
    object_prototype: sys::napi_ref,
}

/// The key under which a value sits in its parent, as `toJSON` receives it; an index is only
/// turned into text when a `toJSON` asks for it.
#[derive(Debug, Clone, Copy)]
enum Key<'a> {
    Name(&'a str),
    Index(u32),
}

impl Key<'_> {
    fn text(self) -> String {
        match self {
            Key::Name(name) => name.to_owned(),
            Key::Index(index) => index.to_string(),
        }
    }
}

/// Converts a JavaScript argument into a [`Value`], seeing nested values as `root` says.
pub fn to_value(env: &Env, value: Unknown<'_>, root: Root) -> Result<Value> {
    let mut realm = Realm::new(env, value);
    convert(&mut realm, value, Key::Name(""), root.view())
}

fn convert<'env>(
    realm: &mut Realm<'env>,
    value: Unknown<'env>,
    key: Key<'_>,
    view: View,
) -> Result<Value> {
    let mut value = value;
    let mut kind = value.get_type()?;
    if view == View::Json
        && kind == ValueType::Object
        && let Some(replaced) = apply_to_json(value, key)?
    {
        value = replaced;
        kind = value.get_type()?;
    }
    Ok(match kind {
        ValueType::Undefined => Value::Undefined,
        ValueType::Null => Value::Null,
        ValueType::Boolean => Value::Bool(unsafe { value.cast::<bool>() }?),
        ValueType::Number => Value::Number(unsafe { value.cast::<f64>() }?),
        ValueType::String => Value::String(string_of(realm.env.raw(), value.raw())?),
        ValueType::Object => return convert_object(realm, value, view),
        ValueType::Function => Value::Other("function".to_owned()),
        ValueType::Symbol => Value::Other("symbol".to_owned()),
        ValueType::BigInt => Value::Other("bigint".to_owned()),
        _ => Value::Other("Object".to_owned()),
    })
}

/// `JSON.stringify`'s first step: an object with a `toJSON` method is replaced by its result.
fn apply_to_json<'env>(value: Unknown<'env>, key: Key<'_>) -> Result<Option<Unknown<'env>>> {
    let object: Object<'env> = unsafe { value.cast() }?;
    let to_json: Unknown<'env> = object.get_named_property("toJSON")?;
    if to_json.get_type()? != ValueType::Function {
        return Ok(None);
    }
    let to_json: Function<'env, String, Unknown<'env>> = unsafe { to_json.cast() }?;
    to_json.apply(object, key.text()).map(Some)
}

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
fn text_of<'b>(
    env: sys::napi_env,
    value: sys::napi_value,
    // Not zeroed: three reads a call would clear 3 KiB for nothing. Only the bytes the engine
    // says it wrote are ever read.
    buffer: &'b mut MaybeUninit<[u8; SHORT]>,
) -> Result<Cow<'b, str>> {
    let mut written = 0;
    check(unsafe {
        sys::napi_get_value_string_utf8(env, value, buffer.as_mut_ptr().cast(), SHORT, &mut written)
    })?;
    // Only whole characters (at most 4 bytes) are written, so room left for one more means
    // nothing was cut off.
    if written + 4 < SHORT - 1 {
        // SAFETY: the engine wrote `written` (< SHORT) bytes at the start of the buffer.
        let text = unsafe { std::slice::from_raw_parts(buffer.as_ptr().cast::<u8>(), written) };
        // The engine writes valid UTF-8, and `from_utf8` checks ASCII a word at a time where
        // the lossy reading goes byte by byte; lossy stays as the answer to the unexpected.
        return Ok(match std::str::from_utf8(text) {
            Ok(text) => Cow::Borrowed(text),
            Err(_) => String::from_utf8_lossy(text),
        });
    }
    let mut length = 0;
    check(unsafe { sys::napi_get_value_string_utf8(env, value, ptr::null_mut(), 0, &mut length) })?;
    let mut bytes = vec![0u8; length + 1];
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

fn convert_object<'env>(
    realm: &mut Realm<'env>,
    value: Unknown<'env>,
    view: View,
) -> Result<Value> {
    let object: Object<'env> = unsafe { value.cast() }?;
    if realm.ancestors.len() >= MAX_DEPTH {
        return Ok(Value::Array(Vec::new()));
    }
    if realm.is_ancestor(&object)? {
        return realm.cycle();
    }
    realm.ancestors.push(object.raw());
    let converted = convert_members(realm, value, object, view);
    realm.ancestors.pop();
    converted
}

fn convert_members<'env>(
    realm: &mut Realm<'env>,
    value: Unknown<'env>,
    object: Object<'env>,
    view: View,
) -> Result<Value> {
    let (children, checked) = match view {
        View::Json => (View::Json, false),
        View::Checked {
            children: Children::Json,
        } => (View::Json, true),
        View::Checked {
            children: Children::Checked { grandchildren_json },
        } => (
            View::Checked {
                children: if grandchildren_json {
                    Children::Json
                } else {
                    Children::Checked {
                        grandchildren_json: false,
                    }
                },
            },
            true,
        ),
    };
    if object.is_array()? {
        let length = object.get_array_length()?;
        let mut items = Vec::with_capacity(length as usize);
        for index in 0..length {
            let item: Unknown<'env> = object.get_element(index)?;
            // Items of a checked array (an audience list) are checked as the array is.
            let item_view = if checked { view } else { View::Json };
            items.push(convert(realm, item, Key::Index(index), item_view)?);
        }
        return Ok(Value::Array(items));
    }
    if checked {
        if object.is_buffer()? || object.is_typedarray()? || object.is_arraybuffer()? {
            return Ok(Value::Bytes(bytes_of(value)?));
        }
        // A plain object is never a `RegExp` (its prototype chain ends at `Object.prototype`),
        // so the `instanceof` is only asked of the others.
        if !is_plain(realm, &object)? {
            if object.instanceof(realm.regexp()?)? {
                return Ok(Value::RegExp {
                    source: object.get_named_property("source")?,
                    flags: object.get_named_property("flags")?,
                });
            }
            // `String(x)` of most objects is `[object Object]`; the core reads any name that is
            // not a `typeof` result as an object.
            return Ok(Value::Other("Object".to_owned()));
        }
    }
    let env = realm.env.raw();
    let keys = own_enumerable_keys(realm.env, &object)?;
    let mut members = Vec::with_capacity(keys.len() as usize);
    for index in 0..keys.len() {
        let mut key = ptr::null_mut();
        check(unsafe { sys::napi_get_element(env, keys.raw(), index, &mut key) })?;
        let name = string_of(env, key)?;
        // Looked up by the key itself: a name with a lone surrogate is not the same name once
        // it is a Rust string (U+FFFD), and the member would be lost.
        let mut member = ptr::null_mut();
        check(unsafe { sys::napi_get_property(env, object.raw(), key, &mut member) })?;
        let member = unsafe { Unknown::from_raw_unchecked(env, member) };
        let member = convert(realm, member, Key::Name(&name), children)?;
        members.push((name, member));
    }
    Ok(Value::Object(members))
}

/// Plain as lodash's `isPlainObject` sees it: made by `{}`, `new Object` or
/// `Object.create(null)`.
fn is_plain(realm: &mut Realm<'_>, object: &Object<'_>) -> Result<bool> {
    let prototype = object.get_prototype()?;
    if prototype.get_type()? == ValueType::Null {
        return Ok(true);
    }
    let object_prototype = realm.object_prototype()?;
    realm.env.strict_equals(prototype, object_prototype)
}

/// The bytes of a `Buffer`, typed array or `ArrayBuffer`.
pub fn bytes_of(value: Unknown<'_>) -> Result<Vec<u8>> {
    let object: Object<'_> = unsafe { value.cast() }?;
    if object.is_arraybuffer()? {
        let mut data = ptr::null_mut();
        let mut length = 0;
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
    let slice: BufferSlice<'_> = unsafe { value.cast() }?;
    Ok(slice.to_vec())
}

/// A failed N-API call as an error.
pub(crate) fn check(status: sys::napi_status) -> Result<()> {
    if status == sys::Status::napi_ok {
        Ok(())
    } else {
        Err(napi::Error::from_status(napi::Status::from(status)))
    }
}

fn copy_raw(
    status: sys::napi_status,
    data: *mut std::ffi::c_void,
    length: usize,
) -> Result<Vec<u8>> {
    if status != sys::Status::napi_ok {
        return Err(napi::Error::from_status(napi::Status::from(status)));
    }
    if data.is_null() || length == 0 {
        return Ok(Vec::new());
    }
    Ok(unsafe { std::slice::from_raw_parts(data as *const u8, length) }.to_vec())
}

/// `Object.keys(object)`: own, enumerable, string-keyed, in JavaScript's property order.
fn own_enumerable_keys<'env>(env: &Env, object: &Object<'env>) -> Result<Array<'env>> {
    let mut names = ptr::null_mut();
    check(unsafe {
        sys::napi_get_all_property_names(
            env.raw(),
            object.raw(),
            sys::KeyCollectionMode::own_only,
            sys::KeyFilter::enumerable | sys::KeyFilter::skip_symbols,
            sys::KeyConversion::numbers_to_strings,
            &mut names,
        )
    })?;
    unsafe { Array::from_napi_value(env.raw(), names) }
}

/// A [`Value`] on its way back to JavaScript: JSON-shaped values become plain objects,
/// arrays and primitives; bytes become a `Buffer`.
pub struct JsValueOut(pub Value);

impl TypeName for JsValueOut {
    fn type_name() -> &'static str {
        "unknown"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsValueOut {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        unsafe { to_napi(env, val.0) }
    }
}

unsafe fn to_napi(env: sys::napi_env, value: Value) -> Result<sys::napi_value> {
    unsafe {
        match value {
            Value::Undefined | Value::Other(_) => Undefined::to_napi_value(env, ()),
            Value::Null => Null::to_napi_value(env, Null),
            Value::Bool(flag) => bool::to_napi_value(env, flag),
            Value::Number(number) => f64::to_napi_value(env, number),
            Value::String(text) => String::to_napi_value(env, text),
            Value::Bytes(bytes) => Buffer::to_napi_value(env, Buffer::from(bytes)),
            Value::RegExp { source, .. } => String::to_napi_value(env, source),
            Value::Array(items) => {
                let mut raw = ptr::null_mut();
                check(sys::napi_create_array_with_length(
                    env,
                    items.len(),
                    &mut raw,
                ))?;
                for (index, item) in items.into_iter().enumerate() {
                    check(sys::napi_set_element(
                        env,
                        raw,
                        index as u32,
                        to_napi(env, item)?,
                    ))?;
                }
                Ok(raw)
            }
            Value::Object(members) => {
                let mut raw = ptr::null_mut();
                check(sys::napi_create_object(env, &mut raw))?;
                for (name, member) in members {
                    // Defined, not assigned, so that a `__proto__` claim becomes an own
                    // property as `JSON.parse` makes it, never the object's prototype.
                    let descriptor = sys::napi_property_descriptor {
                        utf8name: ptr::null(),
                        name: String::to_napi_value(env, name)?,
                        method: None,
                        getter: None,
                        setter: None,
                        value: to_napi(env, member)?,
                        attributes: sys::PropertyAttributes::writable
                            | sys::PropertyAttributes::enumerable
                            | sys::PropertyAttributes::configurable,
                        data: ptr::null_mut(),
                    };
                    check(sys::napi_define_properties(env, raw, 1, &descriptor))?;
                }
                Ok(raw)
            }
        }
    }
}

/// A result on its way back to JavaScript in the cheapest form that makes exactly the same
/// value: the JSON text of a value that `JSON.parse` rebuilds exactly (the JavaScript layer
/// parses it; the engine's parser is much faster than defining property after property), or
/// else the value itself in a one-element array.
pub struct JsonOrValue(pub Value);

impl TypeName for JsonOrValue {
    fn type_name() -> &'static str {
        "string | [unknown]"
    }

    fn value_type() -> ValueType {
        ValueType::Unknown
    }
}

impl ToNapiValue for JsonOrValue {
    unsafe fn to_napi_value(env: sys::napi_env, val: Self) -> Result<sys::napi_value> {
        if parses_back_exactly(&val.0)
            && let Ok(text) = val.0.to_json_string()
        {
            return unsafe { String::to_napi_value(env, text) };
        }
        unsafe {
            let mut boxed = ptr::null_mut();
            check(sys::napi_create_array_with_length(env, 1, &mut boxed))?;
            check(sys::napi_set_element(env, boxed, 0, to_napi(env, val.0)?))?;
            Ok(boxed)
        }
    }
}

/// Whether `JSON.parse(JSON.stringify(value))` is what [`to_napi`] makes of `value`: only
/// JSON's own values, and no `-0` (written as `0`). Duplicate keys, array-index keys and
/// `__proto__` keys come out the same either way: `JSON.parse` defines its properties in
/// order, as [`to_napi`] does, and `to_json_string` writes them in the order an object has.
fn parses_back_exactly(value: &Value) -> bool {
    match value {
        Value::Null | Value::Bool(_) | Value::String(_) => true,
        Value::Number(number) => {
            number.is_finite() && !(*number == 0.0 && number.is_sign_negative())
        }
        Value::Array(items) => items.iter().all(parses_back_exactly),
        Value::Object(members) => members
            .iter()
            .all(|(_, member)| parses_back_exactly(member)),
        Value::Undefined | Value::Bytes(_) | Value::RegExp { .. } | Value::Other(_) => false,
    }
}
