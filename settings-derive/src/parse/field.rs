//! Field attributes: `#[settings(default = 8000, env = "PORT", range(min = 1), ...)]`.

use super::{constraint, key_text, literal, no_value, once, path_value, skip_rest, string_value};
use crate::ctxt::Ctxt;
use crate::ir::{Default, FieldAttrs, Sp};
use crate::symbol::*;

/// Parses every `#[settings(...)]` on a field; several combine.
pub(crate) fn parse(cx: &Ctxt, attrs: &[syn::Attribute]) -> FieldAttrs {
    let mut f = FieldAttrs::default();
    for attr in attrs.iter().filter(|a| a.path().is_ident(SETTINGS)) {
        let result = attr.parse_nested_meta(|meta| {
            if let Err(e) = entry(cx, &mut f, &meta) {
                cx.syn_error(e);
                skip_rest(meta.input);
            }
            Ok(())
        });
        if let Err(e) = result {
            cx.syn_error(e);
        }
    }
    f
}

fn flag(
    cx: &Ctxt,
    slot: &mut Option<proc_macro2::Span>,
    meta: &syn::meta::ParseNestedMeta<'_>,
    key: &str,
) -> syn::Result<()> {
    no_value(meta, key)?;
    if once(cx, slot, &meta.path, key) {
        *slot = Some(
            meta.path
                .get_ident()
                .map_or_else(proc_macro2::Span::call_site, |i| i.span()),
        );
    }
    Ok(())
}

/// A file key given in an attribute (`rename`, `alias`): not empty, without `.`.
fn key_like(name: &Sp<String>, attribute: &str) -> syn::Result<()> {
    if name.value.is_empty() {
        return Err(syn::Error::new(
            name.span,
            format!("`{attribute}` cannot be empty: it is a key"),
        ));
    }
    if name.value.contains('.') {
        return Err(syn::Error::new(
            name.span,
            format!(
                "`{attribute} = {}`: a key cannot contain `.`, which separates nested keys",
                show_str(&name.value)
            ),
        ));
    }
    Ok(())
}

fn entry(cx: &Ctxt, f: &mut FieldAttrs, meta: &syn::meta::ParseNestedMeta<'_>) -> syn::Result<()> {
    let path = &meta.path;
    let Some(ident) = path.get_ident() else {
        return Err(meta.error(format!(
            "unknown field attribute `{}`: expected {}",
            key_text(path),
            list(FIELD_KEYS)
        )));
    };
    let key = ident.to_string();
    match key.as_str() {
        DEFAULT => {
            let value = if meta.input.peek(syn::Token![=]) {
                let lit = literal::parse(meta.value()?)?;
                Sp::new(Default::Literal(lit), ident.span())
            } else {
                Sp::new(Default::Trait, ident.span())
            };
            set_default(cx, f, value, path);
        }
        DEFAULT_WITH => {
            let p = path_value(meta)?;
            set_default(cx, f, Sp::new(Default::With(p), ident.span()), path);
        }
        ENV => {
            let name = string_value(meta)?;
            if name.value.is_empty() {
                return Err(syn::Error::new(
                    name.span,
                    "an environment variable name cannot be empty",
                ));
            }
            if name.value.contains(['=', '\0']) {
                return Err(syn::Error::new(
                    name.span,
                    format!(
                        "`{ENV} = {}`: an environment variable name cannot contain `=` or NUL",
                        show_str(&name.value)
                    ),
                ));
            }
            f.env.push(name);
        }
        ENV_ONLY => flag(cx, &mut f.env_only, meta, ENV_ONLY)?,
        NESTED => flag(cx, &mut f.nested, meta, NESTED)?,
        RESTART => flag(cx, &mut f.restart, meta, RESTART)?,
        SECRET => flag(cx, &mut f.secret, meta, SECRET)?,
        CLI_FLAG => flag(cx, &mut f.cli_flag, meta, CLI_FLAG)?,
        EXTEND => flag(cx, &mut f.extend, meta, EXTEND)?,
        RENAME => {
            let name = string_value(meta)?;
            key_like(&name, RENAME)?;
            if once(cx, &f.rename, path, &key) {
                f.rename = Some(name);
            }
        }
        ALIAS => {
            let alias = string_value(meta)?;
            key_like(&alias, ALIAS)?;
            if f.aliases.iter().any(|a| a.value == alias.value) {
                return Err(syn::Error::new(
                    alias.span,
                    format!("`{ALIAS} = {}` is given twice", show_str(&alias.value)),
                ));
            }
            f.aliases.push(alias);
        }
        RENAMED_FROM => {
            let old = string_value(meta)?;
            if old.value.split('.').any(|k| k.trim().is_empty()) {
                return Err(syn::Error::new(
                    old.span,
                    format!(
                        "`{RENAMED_FROM} = {}` is not a dotted path of keys from the root \
                         settings struct, like `\"db.url\"`",
                        show_str(&old.value)
                    ),
                ));
            }
            if f.renamed_from.iter().any(|a| a.value == old.value) {
                return Err(syn::Error::new(
                    old.span,
                    format!("`{RENAMED_FROM} = {}` is given twice", show_str(&old.value)),
                ));
            }
            f.renamed_from.push(old);
        }
        DEPRECATED => {
            let note = string_value(meta)?;
            if once(cx, &f.deprecated, path, &key) {
                f.deprecated = Some(note);
            }
        }
        ENV_PREFIX => {
            let prefix = super::prefix_value(meta)?;
            if prefix.value.is_empty() {
                return Err(syn::Error::new(
                    prefix.span,
                    "a field's `env_prefix` cannot be empty: its variables would have no prefix",
                ));
            }
            if once(cx, &f.env_prefix, path, &key) {
                f.env_prefix = Some(prefix);
            }
        }
        SEPARATOR => {
            let sep = string_value(meta)?;
            if sep.value.is_empty() {
                return Err(syn::Error::new(sep.span, "the separator cannot be empty"));
            }
            if once(cx, &f.separator, path, &key) {
                f.separator = Some(sep);
            }
        }
        VALIDATE => {
            let p = path_value(meta)?;
            if once(cx, &f.validate, path, &key) {
                f.validate = Some(p);
            }
        }
        RANGE | LEN | REGEX | URL | ONE_OF => {
            let c = constraint::parse(meta, &key)?;
            if f.constraints
                .iter()
                .any(|existing| existing.value.name() == c.value.name())
            {
                cx.error_spanned_by(path, format!("duplicate attribute `{key}`"));
            } else {
                f.constraints.push(c);
            }
        }
        _ => {
            let hint = if CONTAINER_KEYS.contains(&key.as_str()) {
                format!("`{key}` is a struct attribute; ")
            } else {
                did_you_mean(&key, FIELD_KEYS)
            };
            cx.error_spanned_by(
                path,
                format!(
                    "unknown field attribute `{key}`: {hint}expected {}",
                    list(FIELD_KEYS)
                ),
            );
            skip_rest(meta.input);
        }
    }
    Ok(())
}

fn set_default(cx: &Ctxt, f: &mut FieldAttrs, value: Sp<Default>, path: &syn::Path) {
    if let Some(existing) = &f.default {
        let first = match existing.value {
            Default::With(_) => DEFAULT_WITH,
            _ => DEFAULT,
        };
        let second = match value.value {
            Default::With(_) => DEFAULT_WITH,
            _ => DEFAULT,
        };
        let message = if first == second {
            format!("duplicate attribute `{first}`")
        } else {
            format!("`{DEFAULT}` and `{DEFAULT_WITH}` cannot both be given: pick one")
        };
        cx.error_spanned_by(path, message);
        return;
    }
    f.default = Some(value);
}
