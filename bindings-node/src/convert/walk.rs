//! The walk from a JavaScript value to the core's [`Value`].
//!
//! One recursive function, [`to_value`], turns any JavaScript argument into a [`Value`]. Which
//! distinctions it keeps depends on who looks at the value in `jsonwebtoken`: its own checks
//! see the arguments themselves (a plain object versus a `Date`, a `Buffer`, a `RegExp`
//! audience), while `JSON.stringify` sees the nested claims (it calls `toJSON` and serializes
//! any object by its own enumerable keys).

use std::ptr;

use napi::bindgen_prelude::{Array, FromNapiValue, Function, JsObjectValue, Object};
use napi::{Env, JsValue, Result, Unknown, ValueType, sys};
use qlik_jwt::Value;
use qlik_jwt::value::CONVERSION_DEPTH_LIMIT;

use super::check;
use super::raw::{bytes_of, string_of};

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
                // SAFETY: `env` is this conversion's live environment, `prototype` a handle the
                // engine just returned in it, and `held` a live out-pointer. The reference is
                // strong (count 1) and kept in the environment's instance data, so it stays
                // valid for every later conversion in this environment.
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
        // SAFETY: `held` is a strong reference made in this same environment (the instance
        // data is per environment), so it still points at a live object; `raw` is a live
        // out-pointer.
        check(unsafe { sys::napi_get_reference_value(env, held, &mut raw) })?;
        // SAFETY: `raw` is the handle the engine just returned for `env`, the environment of
        // this conversion, valid for the `'env` the `Unknown` is tied to.
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
            // SAFETY: both handles belong to this conversion's environment and call scope
            // (`ancestors` only holds objects on the current path, still referenced by their
            // parents' handles), and `same` is a live out-pointer.
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
        // SAFETY: the engine has just said the value is a boolean (a number): `cast` reads it
        // with `napi_get_value_bool` (`napi_get_value_double`), which matches that type.
        ValueType::Boolean => Value::Bool(unsafe { value.cast::<bool>() }?),
        // SAFETY: as above, for a number.
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
    // SAFETY: the only caller has seen that the value's type is `Object`, and
    // `Object::from_napi_value` only wraps the handle.
    let object: Object<'env> = unsafe { value.cast() }?;
    let to_json: Unknown<'env> = object.get_named_property("toJSON")?;
    if to_json.get_type()? != ValueType::Function {
        return Ok(None);
    }
    // SAFETY: its type was just checked to be a function, which is all
    // `Function::from_napi_value` wraps; the call through it passes a string, as `toJSON`
    // takes any argument.
    let to_json: Function<'env, String, Unknown<'env>> = unsafe { to_json.cast() }?;
    to_json.apply(object, key.text()).map(Some)
}

fn convert_object<'env>(
    realm: &mut Realm<'env>,
    value: Unknown<'env>,
    view: View,
) -> Result<Value> {
    // SAFETY: only called for a value whose type the engine reported as `Object`, and
    // `Object::from_napi_value` only wraps the handle.
    let object: Object<'env> = unsafe { value.cast() }?;
    if realm.ancestors.len() >= CONVERSION_DEPTH_LIMIT {
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
        // SAFETY: `keys` is the array the engine returned for this environment, `index` is
        // below its length, and `key` is a live out-pointer.
        check(unsafe { sys::napi_get_element(env, keys.raw(), index, &mut key) })?;
        let name = string_of(env, key)?;
        // Looked up by the key itself: a name with a lone surrogate is not the same name once
        // it is a Rust string (U+FFFD), and the member would be lost.
        let mut member = ptr::null_mut();
        // SAFETY: `object` and `key` are handles of this environment and call scope, and
        // `member` is a live out-pointer; a getter that throws makes the call fail, which
        // `check` reports.
        check(unsafe { sys::napi_get_property(env, object.raw(), key, &mut member) })?;
        // SAFETY: `member` is the handle the engine just returned for `env`, in the scope the
        // `'env` lifetime stands for.
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

/// `Object.keys(object)`: own, enumerable, string-keyed, in JavaScript's property order.
fn own_enumerable_keys<'env>(env: &Env, object: &Object<'env>) -> Result<Array<'env>> {
    let mut names = ptr::null_mut();
    // SAFETY: `env` and `object` belong to the current call, the mode and filters are valid
    // enumerators, and `names` is a live out-pointer.
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
    // SAFETY: `names` is the array the engine just returned for `env`;
    // `Array::from_napi_value` reads its length, which fails for anything else.
    unsafe { Array::from_napi_value(env.raw(), names) }
}
