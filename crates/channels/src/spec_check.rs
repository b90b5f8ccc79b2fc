//! Checking a payload against a marketplace's own published description of it, independent of
//! the adapters: Naver's OpenAPI 3.0 document (the subset of JSON Schema it uses: `$ref`,
//! `type`, `required`, `properties`, `items`, `enum`, `maximum`, `minimum`, `maxLength`,
//! `maxItems`, `format: date|date-time`) and Coupang's parameter tree (name, type, require,
//! children). The tests and the local contract servers use it, so a payload is held to the
//! marketplace's schema and not only to our idea of it.
//!
//! Each fault is reported as `path: what`, e.g. `/originProduct/salePrice: above maximum`.

use serde_json::Value;

/// The faults of `value` against the schema `#/components/schemas/{name}` of `document`.
pub fn openapi(document: &Value, name: &str, value: &Value) -> Vec<String> {
    let mut faults = Vec::new();
    let schema = &document["components"]["schemas"][name];
    if schema.is_null() {
        faults.push(format!("no schema named {name}"));
    } else {
        check(document, schema, value, "", &mut faults);
    }
    faults
}

/// The schema of the request body of `method path` in `document`, by its `$ref` name.
pub fn request_schema_name<'a>(document: &'a Value, path: &str, method: &str) -> Option<&'a str> {
    document["paths"][path][method]["requestBody"]["content"]["application/json"]["schema"]["$ref"]
        .as_str()?
        .strip_prefix("#/components/schemas/")
}

fn resolve<'a>(document: &'a Value, schema: &'a Value) -> &'a Value {
    match schema["$ref"].as_str() {
        Some(reference) => {
            let name = reference.trim_start_matches("#/components/schemas/");
            resolve(document, &document["components"]["schemas"][name])
        }
        None => schema,
    }
}

fn is_date(s: &str) -> bool {
    let b = s.as_bytes();
    b.len() == 10
        && b[4] == b'-'
        && b[7] == b'-'
        && b.iter()
            .enumerate()
            .all(|(i, c)| i == 4 || i == 7 || c.is_ascii_digit())
}

fn check(document: &Value, schema: &Value, value: &Value, path: &str, faults: &mut Vec<String>) {
    let schema = resolve(document, schema);
    if let Some(kind) = schema["type"].as_str() {
        let ok = match kind {
            "object" => value.is_object(),
            "array" => value.is_array(),
            "string" => value.is_string(),
            "integer" => value.is_i64() || value.is_u64(),
            "number" => value.is_number(),
            "boolean" => value.is_boolean(),
            _ => true,
        };
        if !ok {
            faults.push(format!("{path}: expected {kind}, found {value}"));
            return;
        }
    }
    if let Some(options) = schema["enum"].as_array()
        && !options.contains(value)
    {
        faults.push(format!("{path}: {value} is not one of {}", schema["enum"]));
    }
    if let (Some(max), Some(n)) = (schema["maximum"].as_f64(), value.as_f64())
        && n > max
    {
        faults.push(format!("{path}: {n} above maximum {max}"));
    }
    if let (Some(min), Some(n)) = (schema["minimum"].as_f64(), value.as_f64())
        && n < min
    {
        faults.push(format!("{path}: {n} below minimum {min}"));
    }
    if let Some(text) = value.as_str() {
        if let Some(max) = schema["maxLength"].as_u64()
            && text.chars().count() as u64 > max
        {
            faults.push(format!("{path}: longer than {max} characters"));
        }
        match schema["format"].as_str() {
            Some("date") if !is_date(text) => faults.push(format!("{path}: not a date")),
            Some("date-time") if !(text.len() >= 16 && is_date(&text[..10])) => {
                faults.push(format!("{path}: not a date-time"))
            }
            _ => {}
        }
    }
    if let Some(object) = value.as_object() {
        for required in schema["required"].as_array().into_iter().flatten() {
            if let Some(name) = required.as_str()
                && !object.contains_key(name)
            {
                faults.push(format!("{path}/{name}: required"));
            }
        }
        let properties = schema["properties"].as_object();
        for (name, child) in object {
            match properties.and_then(|p| p.get(name)) {
                Some(child_schema) => check(
                    document,
                    child_schema,
                    child,
                    &format!("{path}/{name}"),
                    faults,
                ),
                None if properties.is_some() => {
                    faults.push(format!("{path}/{name}: not in the schema"))
                }
                None => {}
            }
        }
    }
    if let Some(items) = value.as_array() {
        if let Some(max) = schema["maxItems"].as_u64()
            && items.len() as u64 > max
        {
            faults.push(format!("{path}: more than {max} items"));
        }
        if !schema["items"].is_null() {
            for (i, item) in items.iter().enumerate() {
                check(
                    document,
                    &schema["items"],
                    item,
                    &format!("{path}/{i}"),
                    faults,
                );
            }
        }
    }
}

/// The faults of `body` against Coupang's parameter tree (`parameters.bodyParameters` of the
/// developer-portal document): every required parameter present and of its type, no unknown one.
pub fn coupang_tree(parameters: &Value, body: &Value) -> Vec<String> {
    let mut faults = Vec::new();
    check_tree(parameters, body, "", &mut faults);
    faults
}

fn check_tree(parameters: &Value, value: &Value, path: &str, faults: &mut Vec<String>) {
    let Some(parameters) = parameters.as_array() else {
        return;
    };
    let Some(object) = value.as_object() else {
        faults.push(format!("{path}: expected an object"));
        return;
    };
    for parameter in parameters {
        let name = parameter["name"].as_str().unwrap_or_default();
        let here = format!("{path}/{name}");
        let Some(child) = object.get(name) else {
            if parameter["require"] == Value::Bool(true) {
                faults.push(format!("{here}: required"));
            }
            continue;
        };
        let ok = match parameter["type"].as_str().unwrap_or_default() {
            "String" => child.is_string(),
            "Number" => child.is_number(),
            "Boolean" => child.is_boolean(),
            "List" => child.is_array(),
            _ => true,
        };
        if !ok {
            faults.push(format!(
                "{here}: expected {}, found {child}",
                parameter["type"]
            ));
            continue;
        }
        let children = &parameter["children"];
        if children.is_array() {
            match child {
                Value::Array(items) => {
                    for (i, item) in items.iter().enumerate() {
                        // A list of strings (searchTags) has no child parameters to check.
                        if item.is_object() {
                            check_tree(children, item, &format!("{here}/{i}"), faults);
                        }
                    }
                }
                Value::Object(_) if name != "extraProperties" => {
                    check_tree(children, child, &here, faults)
                }
                _ => {}
            }
        }
    }
    for name in object.keys() {
        if !parameters.iter().any(|p| p["name"] == name.as_str()) {
            faults.push(format!("{path}/{name}: not in the parameter tree"));
        }
    }
}
