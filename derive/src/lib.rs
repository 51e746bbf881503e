//! `#[derive(Read)]`: the member-by-member reader of an input shape, written once on the type.
//!
//! The engine must name *every* bad member of an input at once, each at its JSON path, with the
//! codes and messages its callers rely on (docs/policy.md §2); serde's derive stops at the first. This
//! derive writes the reader one would write by hand against `caseflow_core::reader`
//! (`ObjectReader` and its member methods), so a shape is declared once — its fields, the serde
//! attributes the writer also uses, and a few `#[read(...)]` attributes for what the type does not
//! say (a string's limit, a custom reader, a cross-member check) — and the diagnostics are those
//! of the hand-written readers it replaces. The generated code names `crate::reader`, so the
//! derive is for use inside `caseflow-core` only.
//!
//! On a struct with named fields it implements `ReadObject` (the members, then the container's
//! check) and `ReadMember` (the struct as a member of another object). On an enum with
//! `#[serde(tag = "...")]` and struct variants it implements `ReadTagged`: the variant's members
//! once its tag is known (the caller reads the tag, whose messages are its own).
//!
//! Field attributes, `#[read(...)]`:
//! - `text = EXPR`: a non-blank string of at most EXPR characters (`ObjectReader::string`);
//! - `id`: an identifier (`ObjectReader::identifier`);
//! - `count = EXPR`: a whole number from 0 to EXPR (`ObjectReader::count`);
//! - `with = path`: `path(&mut ObjectReader, name) -> Option<T>`, called when the member is there;
//! - `missing = "message"`: the message when a required member is absent;
//! - otherwise the field's type reads itself through `ReadMember`.
//!
//! A container marked `#[read(values)]` (stored snapshots and events) reads every member with a
//! value reader instead, as `ObjectReader::field`, `option_field` and `default_field` do: the
//! field's type through `ReadValue`, or `#[read(value = path)]` with a `reader::Read<T>`
//! function. Every derived struct is also a `ReadValue`.
//!
//! `Option<T>` fields are optional (absent or `null` is `None`); fields with serde's `default`
//! take their default when absent; every other field is required. Container (or variant)
//! attribute `#[read(check = path)]`: `path(&mut ObjectReader, &Self) -> bool`, run once every
//! member has read well, before unknown members are flagged; `false` refuses the value.
//!
//! On an enum of unit variants it implements `ReadValue`: one of a closed set of names
//! (`reader::name`, whose message lists them in declaration order).
//!
//! Of serde's attributes, `rename`, `rename_all` ("snake_case", "lowercase"), `default`, `tag`
//! and `deny_unknown_fields` are honoured, and `with`, `skip_serializing_if` and
//! `serialize_with` concern only the writer; any other fails the derive, so that the reader can
//! never silently disagree with the writer about a member's name or presence.

use proc_macro::TokenStream;
use proc_macro2::TokenStream as Tokens;
use quote::{format_ident, quote};
use syn::{
    Attribute, Data, DeriveInput, Expr, Fields, GenericArgument, Ident, LitStr, Path,
    PathArguments, Type, parse_macro_input,
};

/// Derives the member-by-member reader of a struct or of an internally tagged enum.
#[proc_macro_derive(Read, attributes(read))]
pub fn derive_read(input: TokenStream) -> TokenStream {
    let input = parse_macro_input!(input as DeriveInput);
    match expand(&input) {
        Ok(tokens) => tokens.into(),
        Err(error) => error.to_compile_error().into(),
    }
}

#[derive(Default)]
struct Container {
    rename_all: Option<String>,
    tag: Option<String>,
    check: Option<Path>,
    /// `#[read(values)]`: every member read by a value reader (`ReadValue`, or `value = path`).
    values: bool,
}

enum How {
    Member,
    Value(Path),
    Text(Expr),
    Id,
    Count(Expr),
    With(Path),
}

enum Presence {
    Required,
    Optional,
    Default(Option<Path>),
}

fn expand(input: &DeriveInput) -> syn::Result<Tokens> {
    let container = container(&input.attrs)?;
    let ident = &input.ident;
    if !input.generics.params.is_empty() {
        return Err(syn::Error::new_spanned(
            &input.generics,
            "#[derive(Read)] does not support generic types",
        ));
    }
    match &input.data {
        Data::Struct(data) => {
            if container.tag.is_some() {
                return Err(syn::Error::new_spanned(ident, "`tag` is for enums"));
            }
            let body = members(
                &data.fields,
                &container,
                &quote!(Self),
                container.check.as_ref(),
            )?;
            Ok(quote! {
                impl crate::reader::ReadObject for #ident {
                    fn read_members(r: &mut crate::reader::ObjectReader<'_>) -> Option<Self> {
                        #body
                    }
                }
                impl crate::reader::ReadValue for #ident {
                    fn read(
                        value: &serde_json::Value,
                        path: &crate::error::JsonPath,
                        diagnostics: &mut Vec<crate::error::Diagnostic>,
                    ) -> Option<Self> {
                        <Self as crate::reader::ReadObject>::read_value(value, path, diagnostics)
                    }
                }
                impl crate::reader::ReadMember for #ident {
                    fn read_member(
                        r: &mut crate::reader::ObjectReader<'_>,
                        name: &'static str,
                    ) -> Option<Self> {
                        r.object(name, true, |mut o| {
                            let value = <Self as crate::reader::ReadObject>::read_members(&mut o);
                            o.finish();
                            value
                        })
                    }
                }
            })
        }
        Data::Enum(data)
            if container.tag.is_none()
                && data
                    .variants
                    .iter()
                    .all(|v| matches!(v.fields, Fields::Unit)) =>
        {
            // A closed set of names, in declaration order (the order the message lists them).
            let mut names = Vec::new();
            for variant in &data.variants {
                let v = variant_attrs(&variant.attrs)?;
                let name = match v.rename {
                    Some(name) => name,
                    None => renamed(&variant.ident, container.rename_all.as_deref(), true)?,
                };
                let vident = &variant.ident;
                names.push(quote!((#name, Self::#vident)));
            }
            Ok(quote! {
                impl crate::reader::ReadValue for #ident {
                    fn read(
                        value: &serde_json::Value,
                        path: &crate::error::JsonPath,
                        diagnostics: &mut Vec<crate::error::Diagnostic>,
                    ) -> Option<Self> {
                        crate::reader::name(value, path, diagnostics, &[#(#names),*])
                    }
                }
            })
        }
        Data::Enum(data) => {
            if container.tag.is_none() {
                return Err(syn::Error::new_spanned(
                    ident,
                    "#[derive(Read)] reads unit enums, and enums tagged with #[serde(tag = \"...\")]",
                ));
            }
            if container.check.is_some() {
                return Err(syn::Error::new_spanned(
                    ident,
                    "`check` goes on the variants of an enum",
                ));
            }
            let mut arms = Vec::new();
            let mut tags = Vec::new();
            for variant in &data.variants {
                let v = variant_attrs(&variant.attrs)?;
                let tag = match v.rename {
                    Some(name) => name,
                    None => renamed(&variant.ident, container.rename_all.as_deref(), true)?,
                };
                let vident = &variant.ident;
                let body = members(
                    &variant.fields,
                    &Container {
                        values: container.values,
                        ..Container::default()
                    },
                    &quote!(Self::#vident),
                    v.check.as_ref(),
                )?;
                arms.push(quote! { #tag => (|| -> Option<Self> { #body })(), });
                tags.push(tag);
            }
            Ok(quote! {
                impl crate::reader::ReadTagged for #ident {
                    const TAGS: &'static [&'static str] = &[#(#tags),*];
                    fn read_variant(
                        tag: &str,
                        r: &mut crate::reader::ObjectReader<'_>,
                    ) -> Option<Self> {
                        match tag {
                            #(#arms)*
                            _ => None,
                        }
                    }
                }
            })
        }
        Data::Union(_) => Err(syn::Error::new_spanned(
            ident,
            "#[derive(Read)] does not read unions",
        )),
    }
}

/// The reading of a struct's (or a struct variant's) members, then its check.
fn members(
    fields: &Fields,
    container: &Container,
    build: &Tokens,
    check: Option<&Path>,
) -> syn::Result<Tokens> {
    let named = match fields {
        Fields::Named(named) => &named.named,
        Fields::Unit => {
            return Ok(match check {
                Some(check) => quote! {
                    let value = #build;
                    #check(r, &value).then_some(value)
                },
                None => quote!(Some(#build)),
            });
        }
        Fields::Unnamed(_) => {
            return Err(syn::Error::new_spanned(
                fields,
                "#[derive(Read)] reads named fields only",
            ));
        }
    };
    let mut reads = Vec::new();
    let mut inits = Vec::new();
    for (i, field) in named.iter().enumerate() {
        let Some(ident) = &field.ident else {
            continue;
        };
        let options = field_attrs(&field.attrs)?;
        let name = match options.rename {
            Some(name) => name,
            None => renamed(ident, container.rename_all.as_deref(), false)?,
        };
        let var = format_ident!("m{i}");
        let (presence, ty) = match (options.default, option_inner(&field.ty)) {
            (Some(_), Some(_)) | (None, Some(_)) => (Presence::Optional, option_inner(&field.ty)),
            (Some(default), None) => (Presence::Default(default), Some(&field.ty)),
            (None, None) => (Presence::Required, Some(&field.ty)),
        };
        let ty = ty.unwrap_or(&field.ty);
        if container.values {
            let read = match options.how {
                How::Member => quote!(<#ty as crate::reader::ReadValue>::read),
                How::Value(path) => quote!(#path),
                _ => {
                    return Err(syn::Error::new_spanned(
                        ident,
                        "under #[read(values)] a member is read by its type or by `value = path`",
                    ));
                }
            };
            reads.push(match presence {
                Presence::Required => quote!(let #var = r.field(#name, #read);),
                Presence::Optional => quote!(let #var = r.option_field(#name, #read);),
                Presence::Default(None) => quote! {
                    let #var = r.default_field(#name, #read).map(Option::unwrap_or_default);
                },
                Presence::Default(Some(path)) => quote! {
                    let #var = r.default_field(#name, #read).map(|v| v.unwrap_or_else(#path));
                },
            });
            inits.push(quote!(#ident: #var?));
            continue;
        }
        let read = match options.how {
            How::Value(_) => {
                return Err(syn::Error::new_spanned(
                    ident,
                    "`value = path` is for #[read(values)] shapes",
                ));
            }
            How::Member => quote!(<#ty as crate::reader::ReadMember>::read_member(r, #name)),
            How::Text(max) => quote!(r.string(#name, true, #max)),
            How::Id => quote!(r.identifier(#name, true)),
            How::Count(max) => quote!(r.count(#name, #max)),
            How::With(path) => quote!(#path(r, #name)),
        };
        let absent = match &presence {
            Presence::Required => {
                let message = options
                    .missing
                    .unwrap_or_else(|| format!("`{name}` is required"));
                quote! {{
                    r.report("missing_field", #name, #message);
                    None
                }}
            }
            Presence::Optional => quote!(Some(None)),
            Presence::Default(None) => quote!(Some(::core::default::Default::default())),
            Presence::Default(Some(path)) => quote!(Some(#path())),
        };
        let present = match &presence {
            Presence::Optional => quote!(#read.map(Some)),
            _ => read,
        };
        reads.push(quote! {
            let #var = if r.raw(#name).is_some() { #present } else { #absent };
        });
        inits.push(quote!(#ident: #var?));
    }
    let finish = match check {
        Some(check) => quote!(#check(r, &value).then_some(value)),
        None => quote!(Some(value)),
    };
    Ok(quote! {
        #(#reads)*
        let value = #build { #(#inits),* };
        #finish
    })
}

/// `T` when `ty` is written `Option<T>`.
fn option_inner(ty: &Type) -> Option<&Type> {
    let Type::Path(path) = ty else { return None };
    let last = path.path.segments.last()?;
    if last.ident != "Option" {
        return None;
    }
    let PathArguments::AngleBracketed(args) = &last.arguments else {
        return None;
    };
    match args.args.first()? {
        GenericArgument::Type(inner) => Some(inner),
        _ => None,
    }
}

/// A member's (or a variant's) JSON name under serde's `rename_all`.
fn renamed(ident: &Ident, rule: Option<&str>, variant: bool) -> syn::Result<String> {
    let raw = ident.to_string();
    let raw = raw.strip_prefix("r#").unwrap_or(&raw).to_owned();
    match rule {
        None => Ok(raw),
        Some("snake_case") if !variant => Ok(raw),
        Some("snake_case") => {
            let mut out = String::new();
            for (i, c) in raw.chars().enumerate() {
                if c.is_uppercase() {
                    if i > 0 {
                        out.push('_');
                    }
                    out.extend(c.to_lowercase());
                } else {
                    out.push(c);
                }
            }
            Ok(out)
        }
        Some("lowercase") => Ok(raw.to_lowercase()),
        Some(other) => Err(syn::Error::new_spanned(
            ident,
            format!("#[derive(Read)] does not support rename_all = \"{other}\""),
        )),
    }
}

fn container(attrs: &[Attribute]) -> syn::Result<Container> {
    let mut out = Container::default();
    for attr in attrs {
        if attr.path().is_ident("serde") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename_all") {
                    out.rename_all = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("tag") {
                    out.tag = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if !meta.path.is_ident("deny_unknown_fields") {
                    return Err(
                        meta.error("this serde attribute is not supported by #[derive(Read)]")
                    );
                }
                Ok(())
            })?;
        } else if attr.path().is_ident("read") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("check") {
                    out.check = Some(meta.value()?.parse()?);
                    Ok(())
                } else if meta.path.is_ident("values") {
                    out.values = true;
                    Ok(())
                } else {
                    Err(meta.error("expected `check = path` or `values`"))
                }
            })?;
        }
    }
    Ok(out)
}

#[derive(Default)]
struct VariantOptions {
    rename: Option<String>,
    check: Option<Path>,
}

fn variant_attrs(attrs: &[Attribute]) -> syn::Result<VariantOptions> {
    let mut out = VariantOptions::default();
    for attr in attrs {
        if attr.path().is_ident("serde") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                    Ok(())
                } else {
                    Err(meta.error("this serde attribute is not supported by #[derive(Read)]"))
                }
            })?;
        } else if attr.path().is_ident("read") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("check") {
                    out.check = Some(meta.value()?.parse()?);
                    Ok(())
                } else {
                    Err(meta.error("expected `check = path`"))
                }
            })?;
        }
    }
    Ok(out)
}

struct FieldOptions {
    rename: Option<String>,
    /// `Some(None)`: serde's `default`; `Some(Some(path))`: `default = "path"`.
    default: Option<Option<Path>>,
    how: How,
    missing: Option<String>,
}

fn field_attrs(attrs: &[Attribute]) -> syn::Result<FieldOptions> {
    let mut out = FieldOptions {
        rename: None,
        default: None,
        how: How::Member,
        missing: None,
    };
    for attr in attrs {
        if attr.path().is_ident("serde") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("rename") {
                    out.rename = Some(meta.value()?.parse::<LitStr>()?.value());
                } else if meta.path.is_ident("default") {
                    out.default = Some(if meta.input.peek(syn::Token![=]) {
                        Some(meta.value()?.parse::<LitStr>()?.parse()?)
                    } else {
                        None
                    });
                } else if meta.path.is_ident("with")
                    || meta.path.is_ident("skip_serializing_if")
                    || meta.path.is_ident("serialize_with")
                {
                    // How the value is written; the reader reads it by its type.
                    meta.value()?.parse::<LitStr>()?;
                } else {
                    return Err(
                        meta.error("this serde attribute is not supported by #[derive(Read)]")
                    );
                }
                Ok(())
            })?;
        } else if attr.path().is_ident("read") {
            attr.parse_nested_meta(|meta| {
                if meta.path.is_ident("text") {
                    out.how = How::Text(meta.value()?.parse()?);
                } else if meta.path.is_ident("id") {
                    out.how = How::Id;
                } else if meta.path.is_ident("count") {
                    out.how = How::Count(meta.value()?.parse()?);
                } else if meta.path.is_ident("with") {
                    out.how = How::With(meta.value()?.parse()?);
                } else if meta.path.is_ident("value") {
                    out.how = How::Value(meta.value()?.parse()?);
                } else if meta.path.is_ident("missing") {
                    out.missing = Some(meta.value()?.parse::<LitStr>()?.value());
                } else {
                    return Err(meta.error(
                        "expected `text = MAX`, `id`, `count = MAX`, `with = path` or `missing = \"...\"`",
                    ));
                }
                Ok(())
            })?;
        }
    }
    Ok(out)
}
