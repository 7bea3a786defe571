//! Struct attributes: `#[settings(env_prefix = "APP_", files = [...], ...)]`.

use super::{key_text, literal, no_value, not_found, once, path_value, skip_rest, string_value};
use crate::ctxt::Ctxt;
use crate::ir::{Container, Sp};
use crate::symbol::*;

/// Parses every `#[settings(...)]` on the struct; several combine.
pub(crate) fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> Container {
    let mut c = Container::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(SETTINGS)) {
        let result = attr.parse_nested_meta(|meta| {
            let outcome = entry(cx, &mut c, &meta);
            if let Err(e) = outcome {
                cx.syn_error(e);
                skip_rest(meta.input);
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    c
}

fn entry(cx: &Ctxt, c: &mut Container, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    let path = &meta.path;
    let Some(ident) = path.get_ident() else {
        return Err(meta.error(format!(
            "unknown struct attribute `{}`: {}",
            key_text(path),
            unknown()
        )));
    };
    let key = ident.to_string();
    macro_rules! string_slot {
        ($slot:ident) => {{
            let value = string_value(meta)?;
            if once(cx, &c.$slot, path, &key) {
                c.$slot = Some(value);
            }
        }};
    }
    match key.as_str() {
        ENV_PREFIX => {
            let value = super::prefix_value(meta)?;
            if once(cx, &c.env_prefix, path, &key) {
                c.env_prefix = Some(value);
            }
        }
        ENV_NESTED_DELIMITER => {
            let value = string_value(meta)?;
            if value.value.is_empty() {
                return Err(syn::Error::new(
                    value.span,
                    "the nested delimiter cannot be empty",
                ));
            }
            if once(cx, &c.env_nested_delimiter, path, &key) {
                c.env_nested_delimiter = Some(value);
            }
        }
        ENV_FILE => string_slot!(env_file),
        SECRETS_DIR => string_slot!(secrets_dir),
        CONFIG_DIR => string_slot!(config_dir),
        PROFILE_ENV => string_slot!(profile_env),
        FILES => {
            let files = literal::strings(meta.value()?)?;
            if once(cx, &c.files, path, &key) {
                c.files = Some(files);
            }
        }
        PROFILES => {
            let profiles = literal::strings(meta.value()?)?;
            if profiles.value.is_empty() || profiles.value.iter().any(|p| p.trim().is_empty()) {
                return Err(syn::Error::new(
                    profiles.span,
                    "`profiles` lists the known profile names, like `profiles = [\"dev\", \"prod\"]`; \
                     a name cannot be empty",
                ));
            }
            if once(cx, &c.profiles, path, &key) {
                c.profiles = Some(profiles);
            }
        }
        CASE_SENSITIVE => {
            no_value(meta, &key)?;
            if once(cx, &c.case_sensitive, path, &key) {
                c.case_sensitive = Some(ident.span());
            }
        }
        DENY_UNKNOWN_ENV => {
            no_value(meta, &key)?;
            if once(cx, &c.deny_unknown_env, path, &key) {
                c.deny_unknown_env = Some(ident.span());
            }
        }
        DENY_PLAIN_SECRETS => {
            no_value(meta, &key)?;
            if once(cx, &c.deny_plain_secrets, path, &key) {
                c.deny_plain_secrets = Some(ident.span());
            }
        }
        DENY_UNKNOWN => {
            let value = if meta.input.peek(syn::Token![=]) {
                let input = meta.value()?;
                if !input.peek(syn::LitBool) {
                    return Err(input.error(format!(
                        "`{DENY_UNKNOWN}` takes `true` or `false`{}",
                        not_found(input)
                    )));
                }
                let lit: syn::LitBool = input.parse()?;
                Sp::new(lit.value, lit.span)
            } else {
                Sp::new(true, ident.span())
            };
            if once(cx, &c.deny_unknown, path, &key) {
                c.deny_unknown = Some(value);
            }
        }
        VALIDATE => {
            let f = path_value(meta)?;
            if once(cx, &c.validate, path, &key) {
                c.validate = Some(f);
            }
        }
        _ => {
            let hint = if FIELD_KEYS.contains(&key.as_str()) {
                format!("`{key}` is a field attribute; ")
            } else {
                did_you_mean(&key, CONTAINER_KEYS)
            };
            cx.error_spanned_by(
                path,
                format!("unknown struct attribute `{key}`: {hint}{}", unknown()),
            );
            skip_rest(meta.input);
        }
    }
    Ok(())
}

fn unknown() -> String {
    format!("expected {}", list(CONTAINER_KEYS))
}
