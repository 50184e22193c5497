//! Python values to and from the core's JavaScript-shaped [`Value`], and the time arguments
//! (`now`, time spans) in the units the core takes. Conversions only: every rule about what a
//! value means lives in the core.

use std::time::{SystemTime, UNIX_EPOCH};

use pyo3::exceptions::{PyTypeError, PyValueError};
use pyo3::prelude::*;
use pyo3::sync::PyOnceLock;
use pyo3::types::{
    PyBool, PyByteArray, PyBytes, PyDateTime, PyDelta, PyDict, PyFloat, PyInt, PyList, PyString,
    PyTuple, PyType, PyTzInfo,
};
use qlik_jwt::Value;
use qlik_jwt::value::CONVERSION_DEPTH_LIMIT;

/// The payload claims whose `datetime` values become NumericDates.
const DATE_CLAIMS: [&str; 3] = ["exp", "nbf", "iat"];

/// Whether a parameter may hold a compiled regular expression (only verify's `audience` may).
#[derive(Clone, Copy, PartialEq, Eq)]
pub enum Patterns {
    /// `re.Pattern` becomes `Value::RegExp`.
    Allowed,
    /// `re.Pattern` is a `TypeError`.
    Refused,
}

/// Where in a nested value a conversion failed, innermost step last once reversed.
struct Mismatch {
    path_reversed: Vec<String>,
    problem: String,
    /// A `str` that cannot be UTF-8 (a `ValueError`, as `str.encode` raises), not a wrong type.
    lone_surrogate: bool,
}

impl Mismatch {
    fn new(problem: String) -> Self {
        Mismatch {
            path_reversed: Vec::new(),
            problem,
            lone_surrogate: false,
        }
    }

    fn lone_surrogate() -> Self {
        Mismatch {
            lone_surrogate: true,
            ..Mismatch::new(String::new())
        }
    }

    fn at(mut self, step: String) -> Self {
        self.path_reversed.push(step);
        self
    }

    fn into_type_error(self, param: &str) -> PyErr {
        let path: String = self.path_reversed.into_iter().rev().collect();
        if self.lone_surrogate {
            return lone_surrogate_error(&format!("{param}{path}"));
        }
        PyTypeError::new_err(format!("{param}{path}: {}", self.problem))
    }
}

/// Converts a Python value into a [`Value`]: `dict` (with `str` keys) to an object, `list` and
/// `tuple` to an array, `str`, `int`, `float`, `bool`, `None`, `bytes` (and `bytearray`) to
/// their JavaScript counterparts. Anything else is a `TypeError` naming `param` and the place
/// inside it.
pub fn to_value(obj: &Bound<'_, PyAny>, param: &str, patterns: Patterns) -> PyResult<Value> {
    convert(obj, patterns).map_err(|mismatch| mismatch.into_type_error(param))
}

/// Converts a payload: like [`to_value`], and a `datetime` under the top-level keys `exp`,
/// `nbf` or `iat` becomes a NumericDate (whole seconds since the epoch; naive datetimes are
/// taken as UTC).
pub fn payload_to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let Ok(dict) = obj.cast::<PyDict>() else {
        return to_value(obj, "payload", Patterns::Refused);
    };
    let mut entries = Vec::with_capacity(dict.len());
    for (key, item) in dict.iter() {
        let name = dict_key(&key).map_err(|m| m.into_type_error("payload"))?;
        let value = if DATE_CLAIMS.contains(&name.as_str()) && item.is_instance_of::<PyDateTime>() {
            Value::Number(epoch_seconds(&item)?.floor())
        } else {
            convert(&item, Patterns::Refused)
                .map_err(|m| m.at(key_step(&key)).into_type_error("payload"))?
        };
        entries.push((name, value));
    }
    Ok(Value::Object(entries))
}

/// `['name']`: a dict key as Python would write the subscript.
fn key_step(key: &Bound<'_, PyAny>) -> String {
    let repr = key
        .repr()
        .map(|r| r.to_string())
        .unwrap_or_else(|_| "?".to_owned());
    format!("[{repr}]")
}

fn dict_key(key: &Bound<'_, PyAny>) -> Result<String, Mismatch> {
    match key.cast::<PyString>() {
        Ok(text) => text
            .to_str()
            .map(str::to_owned)
            .map_err(|_| Mismatch::lone_surrogate()),
        Err(_) => Err(Mismatch::new(format!(
            "dict keys must be str, found a key of type {}",
            type_name(key)
        ))),
    }
}

fn convert(obj: &Bound<'_, PyAny>, patterns: Patterns) -> Result<Value, Mismatch> {
    convert_at(obj, patterns, 0)
}

fn convert_at(obj: &Bound<'_, PyAny>, patterns: Patterns, depth: usize) -> Result<Value, Mismatch> {
    if depth >= CONVERSION_DEPTH_LIMIT
        && (obj.is_instance_of::<PyDict>()
            || obj.is_instance_of::<PyList>()
            || obj.is_instance_of::<PyTuple>())
    {
        return Ok(Value::Array(Vec::new()));
    }
    if obj.is_none() {
        return Ok(Value::Null);
    }
    if let Ok(flag) = obj.cast::<PyBool>() {
        return Ok(Value::Bool(flag.is_true()));
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return obj
            .extract::<f64>()
            .map(Value::Number)
            .map_err(|e| Mismatch::new(e.to_string()));
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return text
            .to_str()
            .map(|s| Value::String(s.to_owned()))
            .map_err(|_| Mismatch::lone_surrogate());
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(Value::Bytes(bytes.as_bytes().to_vec()));
    }
    if let Ok(bytes) = obj.cast::<PyByteArray>() {
        return Ok(Value::Bytes(bytes.to_vec()));
    }
    if let Ok(dict) = obj.cast::<PyDict>() {
        let mut entries = Vec::with_capacity(dict.len());
        for (key, item) in dict.iter() {
            let name = dict_key(&key)?;
            let value = convert_at(&item, patterns, depth + 1).map_err(|m| m.at(key_step(&key)))?;
            entries.push((name, value));
        }
        return Ok(Value::Object(entries));
    }
    if obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>() {
        let mut items = Vec::new();
        for (index, item) in obj
            .try_iter()
            .map_err(|e| Mismatch::new(e.to_string()))?
            .enumerate()
        {
            let item = item.map_err(|e| Mismatch::new(e.to_string()))?;
            items.push(
                convert_at(&item, patterns, depth + 1).map_err(|m| m.at(format!("[{index}]")))?,
            );
        }
        return Ok(Value::Array(items));
    }
    if patterns == Patterns::Allowed && is_pattern(obj) {
        return pattern_to_value(obj).map_err(|e| Mismatch::new(e.to_string()));
    }
    let hint = if obj.is_instance_of::<PyDateTime>() {
        " (a datetime is taken only as the payload's exp, nbf or iat)"
    } else {
        ""
    };
    Err(Mismatch::new(format!(
        "expected dict, list, tuple, str, int, float, bool, None or bytes, not {}{hint}",
        type_name(obj)
    )))
}

fn is_pattern(obj: &Bound<'_, PyAny>) -> bool {
    static PATTERN: PyOnceLock<Py<PyType>> = PyOnceLock::new();
    PATTERN
        .import(obj.py(), "re", "Pattern")
        .is_ok_and(|class| obj.is_instance(class).unwrap_or(false))
}

/// A compiled `re.Pattern` as a JavaScript RegExp: its source, and the flags JavaScript shares
/// with Python (`i`, `m`, `s`).
fn pattern_to_value(obj: &Bound<'_, PyAny>) -> PyResult<Value> {
    let source: String = obj.getattr("pattern")?.extract().map_err(|_| {
        PyTypeError::new_err("audience: a pattern must be compiled from str, not bytes")
    })?;
    let bits: i64 = obj.getattr("flags")?.extract()?;
    let re = obj.py().import("re")?;
    let mut flags = String::new();
    for (name, letter) in [("IGNORECASE", 'i'), ("MULTILINE", 'm'), ("DOTALL", 's')] {
        let bit: i64 = re.getattr(name)?.extract()?;
        if bits & bit != 0 {
            flags.push(letter);
        }
    }
    Ok(Value::RegExp { source, flags })
}

/// Converts a core [`Value`] into Python: objects to `dict`, arrays to `list`, integral numbers
/// to `int`, other numbers to `float`, `null` and `undefined` to `None`.
pub fn to_python<'py>(py: Python<'py>, value: &Value) -> PyResult<Bound<'py, PyAny>> {
    Ok(match value {
        Value::Undefined | Value::Null => py.None().into_bound(py),
        Value::Bool(flag) => PyBool::new(py, *flag).to_owned().into_any(),
        Value::Number(number) => number_to_python(py, *number)?,
        Value::String(text) => PyString::new(py, text).into_any(),
        Value::Array(items) => {
            let list = PyList::empty(py);
            for item in items {
                list.append(to_python(py, item)?)?;
            }
            list.into_any()
        }
        Value::Object(entries) => {
            let dict = PyDict::new(py);
            for (key, item) in entries {
                dict.set_item(key, to_python(py, item)?)?;
            }
            dict.into_any()
        }
        Value::Bytes(bytes) => PyBytes::new(py, bytes).into_any(),
        Value::RegExp { source, .. } => PyString::new(py, source).into_any(),
        Value::Other(name) => PyString::new(py, name).into_any(),
    })
}

fn number_to_python(py: Python<'_>, number: f64) -> PyResult<Bound<'_, PyAny>> {
    // Integral values within i64 become int, as JSON integers read by `json.loads` would.
    const I64_BOUND: f64 = 9_223_372_036_854_775_808.0;
    if number.is_finite() && number.fract() == 0.0 && number.abs() < I64_BOUND {
        Ok((number as i64).into_pyobject(py)?.into_any())
    } else {
        Ok(PyFloat::new(py, number).into_any())
    }
}

/// A time span option (`expires_in`, `not_before`, `max_age`): an `int` or `float` number of
/// seconds, an `ms`-style `str` such as `"5m"`, or a `datetime.timedelta` (its seconds).
pub fn timespan(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Value> {
    if obj.is_instance_of::<PyBool>() {
        return Err(timespan_type_error(obj, param));
    }
    if obj.is_instance_of::<PyDelta>() {
        return Ok(Value::Number(total_seconds(obj)?));
    }
    if obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>() {
        return Ok(Value::Number(obj.extract()?));
    }
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(Value::String(text.to_str()?.to_owned()));
    }
    Err(timespan_type_error(obj, param))
}

fn timespan_type_error(obj: &Bound<'_, PyAny>, param: &str) -> PyErr {
    PyTypeError::new_err(format!(
        "{param} must be int, float, str or datetime.timedelta, not {}",
        type_name(obj)
    ))
}

/// A number of seconds: a number, or a `datetime.timedelta`.
pub fn seconds(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<f64> {
    if obj.is_instance_of::<PyDelta>() {
        return total_seconds(obj);
    }
    if !obj.is_instance_of::<PyBool>()
        && (obj.is_instance_of::<PyInt>() || obj.is_instance_of::<PyFloat>())
    {
        return finite(obj.extract()?, param);
    }
    Err(PyTypeError::new_err(format!(
        "{param} must be int, float or datetime.timedelta, not {}",
        type_name(obj)
    )))
}

/// A whole number of seconds: an `int` or a `datetime.timedelta` of whole seconds.
pub fn whole_seconds(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<i64> {
    if obj.is_instance_of::<PyInt>() && !obj.is_instance_of::<PyBool>() {
        return obj.extract();
    }
    if obj.is_instance_of::<PyDelta>() {
        let secs = total_seconds(obj)?;
        if secs.fract() != 0.0 || !secs.is_finite() {
            return Err(PyValueError::new_err(format!(
                "{param} must be whole seconds, not {secs}"
            )));
        }
        return Ok(secs as i64);
    }
    Err(PyTypeError::new_err(format!(
        "{param} must be int or datetime.timedelta, not {}",
        type_name(obj)
    )))
}

fn total_seconds(delta: &Bound<'_, PyAny>) -> PyResult<f64> {
    delta.call_method0("total_seconds")?.extract()
}

/// The instant `now` in seconds since the epoch: the system clock when `None`, else an `int` or
/// `float` of seconds or a `datetime` (naive ones are taken as UTC).
pub fn now_seconds(now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    let Some(now) = now else {
        return Ok(system_seconds());
    };
    if now.is_instance_of::<PyDateTime>() {
        return epoch_seconds(now);
    }
    if !now.is_instance_of::<PyBool>()
        && (now.is_instance_of::<PyInt>() || now.is_instance_of::<PyFloat>())
    {
        return finite(now.extract()?, "now");
    }
    Err(PyTypeError::new_err(format!(
        "now must be a datetime or a number of seconds since the epoch, not {}",
        type_name(now)
    )))
}

/// `now` in whole milliseconds, what Node's `Date.now()` gives the core (rounded, so that
/// `now=ms / 1000` gives back exactly `ms`).
pub fn now_millis(now: Option<&Bound<'_, PyAny>>) -> PyResult<f64> {
    Ok((now_seconds(now)? * 1000.0).round())
}

/// `now` in whole seconds.
pub fn now_whole_seconds(now: Option<&Bound<'_, PyAny>>) -> PyResult<i64> {
    Ok(now_seconds(now)?.floor() as i64)
}

/// A number of seconds that takes part in time checks, refused by the core's rule when it is
/// NaN or infinite.
fn finite(seconds: f64, param: &str) -> PyResult<f64> {
    qlik_jwt::timespan::finite_seconds(seconds, param).map_err(PyValueError::new_err)
}

/// The UTF-8 of a `str`; one holding a lone surrogate is a `ValueError` naming `param`.
fn utf8<'a>(text: &'a Bound<'_, PyString>, param: &str) -> PyResult<std::borrow::Cow<'a, str>> {
    text.to_cow().map_err(|_| lone_surrogate_error(param))
}

/// A `str` holding a lone surrogate (from `surrogateescape`, or a `\ud800` escape) cannot be
/// UTF-8: Python refuses it, as `str.encode` does, where Node's strings arrive with U+FFFD in
/// its place (a JavaScript string can hold one; the core's strings cannot).
fn lone_surrogate_error(param: &str) -> PyErr {
    PyValueError::new_err(format!(
        "{param} is not valid text: it holds a lone surrogate, which UTF-8 cannot encode"
    ))
}

fn system_seconds() -> f64 {
    // A clock before 1970 is not a case worth an error: it reads as the epoch.
    SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map(|d| d.as_secs_f64())
        .unwrap_or(0.0)
}

fn epoch_seconds(datetime: &Bound<'_, PyAny>) -> PyResult<f64> {
    let aware = if datetime.getattr("tzinfo")?.is_none() {
        let kwargs = PyDict::new(datetime.py());
        kwargs.set_item("tzinfo", PyTzInfo::utc(datetime.py())?)?;
        datetime.call_method("replace", (), Some(&kwargs))?
    } else {
        datetime.clone()
    };
    aware.call_method0("timestamp")?.extract()
}

/// An aware UTC `datetime` for `seconds` since the epoch.
pub fn utc_datetime(py: Python<'_>, seconds: f64) -> PyResult<Bound<'_, PyDateTime>> {
    PyDateTime::from_timestamp(py, seconds, Some(&PyTzInfo::utc(py)?.to_owned()))
}

/// Text or bytes (a passphrase, PEM text, DER bytes) as bytes.
pub fn text_or_bytes(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Vec<u8>> {
    if let Ok(text) = obj.cast::<PyString>() {
        return Ok(utf8(text, param)?.as_bytes().to_vec());
    }
    if let Ok(bytes) = obj.cast::<PyBytes>() {
        return Ok(bytes.as_bytes().to_vec());
    }
    if let Ok(bytes) = obj.cast::<PyByteArray>() {
        return Ok(bytes.to_vec());
    }
    Err(PyTypeError::new_err(format!(
        "{param} must be str or bytes, not {}",
        type_name(obj)
    )))
}

/// The name of a value's type, for messages.
pub fn type_name(obj: &Bound<'_, PyAny>) -> String {
    obj.get_type()
        .name()
        .map(|name| name.to_string())
        .unwrap_or_else(|_| "object".to_owned())
}

/// A `str` argument.
pub fn text(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<String> {
    match obj.cast::<PyString>() {
        Ok(text) => Ok(utf8(text, param)?.into_owned()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{param} must be str, not {}",
            type_name(obj)
        ))),
    }
}

/// An optional `str` argument (`None` means not given).
pub fn optional_text(obj: Option<&Bound<'_, PyAny>>, param: &str) -> PyResult<Option<String>> {
    obj.filter(|o| !o.is_none())
        .map(|o| text(o, param))
        .transpose()
}

/// A `bool` argument; `None` (not given) is `default`.
pub fn flag(obj: Option<&Bound<'_, PyAny>>, param: &str, default: bool) -> PyResult<bool> {
    match obj.filter(|o| !o.is_none()) {
        Some(obj) => boolean(obj, param),
        None => Ok(default),
    }
}

/// A `bool` (an `int` or a `str` is refused: `"false"` would read as true).
pub fn boolean(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<bool> {
    match obj.cast::<PyBool>() {
        Ok(flag) => Ok(flag.is_true()),
        Err(_) => Err(PyTypeError::new_err(format!(
            "{param} must be bool, not {}",
            type_name(obj)
        ))),
    }
}

/// A list or tuple of `str` (a lone `str` is refused: it is not a list of names).
pub fn texts(obj: &Bound<'_, PyAny>, param: &str) -> PyResult<Vec<String>> {
    if !(obj.is_instance_of::<PyList>() || obj.is_instance_of::<PyTuple>()) {
        return Err(PyTypeError::new_err(format!(
            "{param} must be a list of str, not {}",
            type_name(obj)
        )));
    }
    let mut items = Vec::new();
    for (index, item) in obj.try_iter()?.enumerate() {
        items.push(text(&item?, &format!("{param}[{index}]"))?);
    }
    Ok(items)
}
