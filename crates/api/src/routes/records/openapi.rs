//! The OpenAPI description of every kind the record layer serves: its
//! paths (list, create, batch, count, get, change, withdraw, versions, STIX
//! form) and schemas (record, input, version), generated from the kind's
//! body schema.

use super::*;
use utoipa::openapi::path::{HttpMethod, OperationBuilder, ParameterBuilder, ParameterIn};
use utoipa::openapi::request_body::RequestBodyBuilder;
use utoipa::openapi::schema::{ArrayBuilder, ObjectBuilder, Schema, Type};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Required, ResponseBuilder};

fn problem_responses(mut op: OperationBuilder, statuses: &[(&str, &str)]) -> OperationBuilder {
    for (status, what) in statuses {
        op = op.response(
            *status,
            ResponseBuilder::new().description(*what).content(
                "application/problem+json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name("Problem")))
                    .build(),
            ),
        );
    }
    op
}

fn json_response(
    status: &str,
    what: &str,
    schema: impl Into<RefOr<Schema>>,
) -> (String, utoipa::openapi::Response) {
    (
        status.to_string(),
        ResponseBuilder::new()
            .description(what)
            .content(
                "application/json",
                ContentBuilder::new().schema(Some(schema)).build(),
            )
            .build(),
    )
}

fn id_param() -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name("id")
        .parameter_in(ParameterIn::Path)
        .required(Required::True)
        .schema(Some(ObjectBuilder::new().schema_type(Type::String)))
        .build()
}

fn query_param(name: &str, ty: Type, what: &str) -> utoipa::openapi::path::Parameter {
    ParameterBuilder::new()
        .name(name)
        .parameter_in(ParameterIn::Query)
        .required(Required::False)
        .description(Some(what))
        .schema(Some(ObjectBuilder::new().schema_type(ty)))
        .build()
}

/// The kind's paths and schemas in the OpenAPI document.
pub(super) fn document<K: ApiKind>(doc: &mut OpenApi)
where
    K::Body: ToSchema,
{
    let body_name = <K::Body as ToSchema>::name().to_string();
    let out_name = format!("{body_name}Record");
    let in_name = format!("{body_name}In");
    let version_name = format!("{body_name}Version");
    let components = doc.components.get_or_insert_with(Default::default);
    let mut schemas = Vec::new();
    <K::Body as ToSchema>::schemas(&mut schemas);
    for (name, s) in schemas {
        components.schemas.insert(name, s);
    }
    components.schemas.insert(
        body_name.clone(),
        <K::Body as utoipa::PartialSchema>::schema(),
    );
    // Where a record comes from, when it says (see `domain::source`).
    let mut sources = Vec::new();
    <coalesce_domain::source::Source as ToSchema>::schemas(&mut sources);
    sources.push((
        "Source".to_string(),
        <coalesce_domain::source::Source as utoipa::PartialSchema>::schema(),
    ));
    for (name, s) in sources {
        components.schemas.insert(name, s);
    }
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let int = || ObjectBuilder::new().schema_type(Type::Integer);
    let marking = || Ref::from_schema_name("MarkingWire");
    let meta = ObjectBuilder::new()
        .property("id", text())
        .property("kind", text())
        .property(
            "origin",
            text().description(Some(
                "The member that owns the record; only its users change it",
            )),
        )
        .property(
            "origin_node",
            text().description(Some("The node the record was first written on")),
        )
        .property("version", int())
        .property("status", text().enum_values(Some(["live", "withdrawn"])))
        .property("marking", marking())
        .property(
            "banner",
            text().description(Some("e.g. `TLP:AMBER REL TO GBR, USA`")),
        )
        .property("created_at", text())
        .property("created_by", text())
        .property("updated_at", text())
        .property("updated_by", text())
        .property("source", Ref::from_schema_name("Source"))
        .required("id")
        .required("version")
        .required("status")
        .required("marking");
    let all_of = |extra: ObjectBuilder| {
        Schema::AllOf(
            utoipa::openapi::schema::AllOfBuilder::new()
                .item(Ref::from_schema_name(&body_name))
                .item(extra)
                .build(),
        )
    };
    components
        .schemas
        .insert(out_name.clone(), RefOr::T(all_of(meta)));
    components.schemas.insert(
        in_name.clone(),
        RefOr::T(all_of(
            ObjectBuilder::new()
                .property("marking", marking())
                .property(
                    "if_version",
                    int().description(Some(
                        "For changes: the version being replaced (optimistic concurrency)",
                    )),
                )
                .required("marking"),
        )),
    );
    components.schemas.insert(
        version_name.clone(),
        RefOr::T(all_of(
            ObjectBuilder::new()
                .property("version", int())
                .property("status", text())
                .property("marking", marking())
                .property("author", text())
                .property("at", text())
                .property(
                    "provenance",
                    ObjectBuilder::new()
                        .property("from", text().enum_values(Some(["local", "peer"])))
                        .property("node", text()),
                ),
        )),
    );
    let list_of = |item: &str| {
        ObjectBuilder::new()
            .property(
                "items",
                ArrayBuilder::new().items(Ref::from_schema_name(item)),
            )
            .property("next", text())
    };
    let base = format!("/{}", path_of::<K>());
    let tag = path_of::<K>();
    let label = K::LABEL;
    let op = |summary: String| OperationBuilder::new().tag(tag).summary(Some(summary));
    let in_body = || {
        RequestBodyBuilder::new()
            .content(
                "application/json",
                ContentBuilder::new()
                    .schema(Some(Ref::from_schema_name(&in_name)))
                    .build(),
            )
            .required(Some(Required::True))
            .build()
    };
    let (s200, r200) = json_response("200", label, Ref::from_schema_name(&out_name));
    let (s201, r201) = json_response("201", "created", Ref::from_schema_name(&out_name));
    let paths = &mut doc.paths;
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Get],
        problem_responses(
            op(format!(
                "The {label} records the caller may read, newest first"
            ))
            .parameter(query_param(
                "cursor",
                Type::String,
                "The `next` value of the previous page",
            ))
            .parameter(query_param(
                "limit",
                Type::Integer,
                "Page size, 1–500 (default 50)",
            ))
            .parameter(query_param(
                "origin",
                Type::String,
                "Only records of this member",
            ))
            .parameters(Some(K::REFERS_TO.iter().map(|t| {
                query_param(
                    t.as_str(),
                    Type::String,
                    &format!("Only records that refer to this {}", t.as_str()),
                )
            })))
            .response("200", json_response("200", "a page", list_of(&out_name)).1),
            &[("400", "bad query"), ("401", "not logged in")],
        )
        .build(),
    );
    paths.add_path_operation(
        &base,
        vec![HttpMethod::Post],
        problem_responses(
            op(format!("Record a {label}, owned by the caller's member"))
                .request_body(Some(in_body()))
                .response(s201.clone(), r201),
            &[
                ("401", "not logged in"),
                ("403", "viewers do not write"),
                ("415", "not JSON"),
                ("422", "invalid field or unknown audience token"),
            ],
        )
        .build(),
    );
    paths.add_path_operation(
        format!("{base}/batch"),
        vec![HttpMethod::Post],
        problem_responses(
            op(format!(
                "Record up to {MAX_BATCH} {label} records at once: all or none"
            ))
            .request_body(Some(
                RequestBodyBuilder::new()
                    .content(
                        "application/json",
                        ContentBuilder::new()
                            .schema(Some(ObjectBuilder::new().property(
                                "items",
                                ArrayBuilder::new().items(Ref::from_schema_name(&in_name)),
                            )))
                            .build(),
                    )
                    .required(Some(Required::True))
                    .build(),
            ))
            .response(
                "201",
                json_response(
                    "201",
                    "the ids, in the order sent",
                    ObjectBuilder::new().property("ids", ArrayBuilder::new().items(text())),
                )
                .1,
            ),
            &[
                ("401", "not logged in"),
                ("403", "viewers do not write"),
                (
                    "422",
                    "an item is invalid (named by its index); nothing written",
                ),
            ],
        )
        .build(),
    );
    paths.add_path_operation(
        format!("{base}/count"),
        vec![HttpMethod::Get],
        problem_responses(
            op(format!("How many {label} records the caller may read")).response(
                "200",
                json_response("200", "the count", Ref::from_schema_name("Count")).1,
            ),
            &[("401", "not logged in")],
        )
        .build(),
    );
    let with_id = |o: OperationBuilder| o.parameter(id_param());
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Get],
        problem_responses(
            with_id(op(format!(
                "One {label}; outside the caller's audience it does not exist"
            )))
            .response(s200.clone(), r200.clone()),
            &[("401", "not logged in"), ("404", "no such record")],
        )
        .build(),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Put],
        problem_responses(
            with_id(op(format!(
                "Change a {label} (users of its origin member): a new version"
            )))
            .request_body(Some(in_body()))
            .response(s200.clone(), r200.clone()),
            &[
                ("401", "not logged in"),
                ("403", "not the origin member"),
                ("404", "no such record"),
                (
                    "409",
                    "version_conflict (with current_version) or already_withdrawn",
                ),
                ("422", "invalid field or unknown audience token"),
            ],
        )
        .build(),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}"),
        vec![HttpMethod::Delete],
        problem_responses(
            with_id(op(format!(
                "Withdraw a {label} (users of its origin member); its versions are kept"
            )))
            .parameter(query_param(
                "if_version",
                Type::Integer,
                "The version being withdrawn",
            ))
            .response(s200, r200),
            &[
                ("401", "not logged in"),
                ("403", "not the origin member"),
                ("404", "no such record"),
                ("409", "version_conflict or already_withdrawn"),
            ],
        )
        .build(),
    );
    paths.add_path_operation(
        format!("{base}/{{id}}/versions"),
        vec![HttpMethod::Get],
        problem_responses(
            with_id(op(format!(
                "The kept versions of a {label} the caller may read, oldest first"
            )))
            .response(
                "200",
                json_response("200", "versions", list_of(&version_name)).1,
            ),
            &[("401", "not logged in"), ("404", "no such record")],
        )
        .build(),
    );
    add_stix_path::<K>(doc, &base, tag);
}

/// The path of a record's STIX 2.1 form, `{base}/{id}/stix`, for kinds
/// served here and for those with routes of their own (requirements,
/// contributions, allocation runs).
pub(crate) fn add_stix_path<K: Kind>(doc: &mut OpenApi, base: &str, tag: &str) {
    let label = K::LABEL;
    let text = || ObjectBuilder::new().schema_type(Type::String);
    let op = |summary: String| OperationBuilder::new().tag(tag).summary(Some(summary));
    doc.paths.add_path_operation(
        format!("{base}/{{id}}/stix"),
        vec![HttpMethod::Get],
        problem_responses(
            op(format!(
                "The {label} as STIX 2.1 ({}), in a bundle with the definitions it refers to",
                K::STIX_TYPE
            ))
            .parameter(id_param())
            .response(
                "200",
                json_response(
                    "200",
                    "a STIX 2.1 bundle",
                    ObjectBuilder::new()
                        .property("type", text())
                        .property("id", text())
                        .property("objects", ArrayBuilder::new().items(ObjectBuilder::new())),
                )
                .1,
            ),
            &[("401", "not logged in"), ("404", "no such record")],
        )
        .build(),
    );
}
