{% macro identity_changes_config() -%}
    {#- The config of int_customer_changes: on DuckDB incremental (append), elsewhere a view
        (every customer counts as changed: the models that read it are tables there). -#}
    {{ return(adapter.dispatch('identity_changes_config', 'customer_segments')()) }}
{%- endmacro %}


{% macro default__identity_changes_config() -%}
    {{ return({'materialized': 'view'}) }}
{%- endmacro %}


{% macro duckdb__identity_changes_config() -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ["{{ customer_segments.identity_changes_prune() }}"],
    }) }}
{%- endmacro %}


{% macro identity_changes_prune() -%}
    {#- Post-hook of int_customer_changes on DuckDB: deletes the changes that every model
        reading the log has taken, those logged at or before the oldest of their latest
        computed_at (each reads only the changes after its own), and never the latest changes
        held (the log's own watermark). While a reader does not exist or holds no row, nothing
        is deleted. -#}
    {%- set watermarks = [] -%}
    {%- set readers = [] -%}
    {%- if execute -%}
        {%- for node in graph.nodes.values()
            if node.resource_type == 'model' and model.unique_id in node.depends_on.nodes -%}
            {%- do readers.append(node.name) -%}
            {%- set relation = customer_segments.hook_model_relation(node.name) -%}
            {%- if relation is not none -%}
                {%- set watermark = customer_segments.max_timestamp_literal(relation, 'computed_at') -%}
                {%- if watermark is not none -%}
                    {%- do watermarks.append(watermark) -%}
                {%- endif -%}
            {%- endif -%}
        {%- endfor -%}
    {%- endif -%}
    {%- if readers and watermarks | length == readers | length -%}
        delete from {{ this }}
        where
            changed_at <= least({{ watermarks | join(', ') }})
            and changed_at < (select max(held.changed_at) from {{ this }} as held)
    {%- else -%}
        select 1 as nothing_to_prune
    {%- endif -%}
{%- endmacro %}


{% macro changed_rows_config(kind) -%}
    {#- The config of a model that derives again only what changed since its last run
        (survivorship, the golden record, the grouped web events): on DuckDB incremental
        (append, then the post-hook changed_rows_prune(kind)), elsewhere a table. -#}
    {{ return(adapter.dispatch('changed_rows_config', 'customer_segments')(kind)) }}
{%- endmacro %}


{% macro default__changed_rows_config(kind) -%}
    {#- Spark without Delta has no delete: the model stays a table, derived from every row. -#}
    {{ return({'materialized': 'table'}) }}
{%- endmacro %}


{% macro duckdb__changed_rows_config(kind) -%}
    {{ return({
        'materialized': 'incremental',
        'incremental_strategy': 'append',
        'on_schema_change': 'fail',
        'post_hook': ["{{ customer_segments.changed_rows_prune(" ~ (kind | tojson) ~ ") }}"],
    }) }}
{%- endmacro %}


{% macro latest_written_at(column, before_this_run=false) -%}
    {#- In an incremental run: the latest `column` (a timestamp) the model holds, as a
        timestamp literal; none outside an incremental run or when the model is empty.
        before_this_run: ignore the rows this run wrote (for a post-hook). -#}
    {%- if not execute or this is none or not is_incremental() -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set before = column ~ ' < ' ~ customer_segments.raw_run_time() if before_this_run else none -%}
    {{ return(customer_segments.max_timestamp_literal(this, column, before)) }}
{%- endmacro %}


{% macro max_timestamp_literal(relation, column, condition=none) -%}
    {#- The largest `column` (a timestamp) of `relation`, among the rows meeting `condition`
        (SQL, optional), as a timestamp literal; none when there is no such row. -#}
    {%- set query -%}
        select cast(max({{ column }}) as {{ dbt.type_string() }}) from {{ relation }}
        {%- if condition is not none %} where {{ condition }}{% endif %}
    {%- endset -%}
    {%- set latest = run_query(query).columns[0].values()[0] -%}
    {%- if latest is none -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return("cast('" ~ latest ~ "' as timestamp)") }}
{%- endmacro %}


{% macro identity_changed_customers(since) -%}
    {#- The customers int_customer_changes logged after `since` (a timestamp literal). -#}
    select changes.customer_id
    from {{ ref('int_customer_changes') }} as changes
    where changes.changed_at > {{ since }}
{%- endmacro %}


{% macro identity_changed_records(since, only_source=none) -%}
    {#- The (source, record_key) pairs of the identity sources whose base_raw rows were ranked
        after `since` (a timestamp literal): a new record, a new version or a re-delivery, and
        the record a new version moved a row away from (every version of a key is ranked
        again). only_source: that source's records only. -#}
    {%- set sources = customer_segments.identity_sources() %}
    {%- set names = [only_source] if only_source is not none else sources.keys() | list %}
    {% for source_name in names -%}
        {%- set identity = sources[source_name] %}
        select
            '{{ source_name }}' as source,
            cast({{ identity.record_key }} as {{ dbt.type_string() }}) as record_key
        from {{ ref('base_raw__' ~ source_name) }}
        where {{ identity.record_key }} is not null and dq_ranked_at > {{ since }}
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
{%- endmacro %}


{% macro identity_records_depends_on() -%}
    {#- `-- depends_on:` lines for every identity source's base_raw model, for a model that
        reads them only in an incremental run (identity_changed_records): dbt parses the
        model outside a run, where that branch is not rendered. -#}
    {% for source_name in customer_segments.identity_sources() -%}
        -- depends_on: {{ ref('base_raw__' ~ source_name) }}
    {% endfor %}
{%- endmacro %}


{% macro identity_records_scope(source_name, since, keyword='where') -%}
    {#- A filter for a staging relation of an identity source: in an incremental run (`since`
        not none), only the rows of the records identity_changed_records(since) lists. -#}
    {%- if since is not none %}
        {%- set identity = customer_segments.identity_sources()[source_name] %}
    {{ keyword }} cast({{ identity.record_key }} as {{ dbt.type_string() }}) in (
        select changed.record_key from ({{ customer_segments.identity_changed_records(since, source_name) }}) as changed
    )
    {%- endif %}
{%- endmacro %}


{% macro identity_guard_recounted_values(since) -%}
    {#- For an incremental run of int_identifiers_guarded: the identifier values whose crm_id
        count may have changed, i.e. every value that a record base_raw ranked after `since`
        held before this run or holds now, when that record carried or carries a crm_id. -#}
    with

    changed_rows as (
        select
            held.source,
            held.record_key,
            held.identifier_type,
            held.identifier_value
        from {{ this }} as held
        where (held.source, held.record_key) in ({{ customer_segments.identity_changed_records(since) }})
        union all
        select
            unioned.source,
            unioned.record_key,
            unioned.identifier_type,
            unioned.identifier_value
        from {{ ref('int_identifiers_unioned') }} as unioned
        where (unioned.source, unioned.record_key) in ({{ customer_segments.identity_changed_records(since) }})
    )

    select
        identifier_type,
        identifier_value
    from changed_rows
    where (source, record_key) in (
        select crm_rows.source, crm_rows.record_key from changed_rows as crm_rows
        where crm_rows.identifier_type = 'crm_id'
    )
    group by
        identifier_type,
        identifier_value
{%- endmacro %}


{% macro identity_guard_scope(since) -%}
    {#- For an incremental run of int_identifiers_guarded: the records to derive again, those
        base_raw ranked after `since` and every holder of a value whose crm_id count may have
        changed (identity_guard_recounted_values). -#}
    {{ customer_segments.identity_changed_records(since) }}
    union
    select
        holders.source,
        holders.record_key
    from {{ ref('int_identifiers_unioned') }} as holders
    where (holders.identifier_type, holders.identifier_value) in (
        {{ customer_segments.identity_guard_recounted_values(since) }}
    )
{%- endmacro %}


{% macro identity_guard_is_recounted(since, relation) -%}
    {#- A condition on a row of `relation`: in an incremental run of int_identifiers_guarded
        (`since` not none), its value is one identity_guard_recounted_values lists; otherwise
        true. -#}
    {%- if since is none -%}
        true
    {%- else -%}
        ({{ relation }}.identifier_type, {{ relation }}.identifier_value) in (
            {{ customer_segments.identity_guard_recounted_values(since) }}
        )
    {%- endif %}
{%- endmacro %}


{% macro identity_guard_held_counts(since, capped) -%}
    {#- For an incremental run of int_identifiers_guarded (`since` not none): `union all` the
        crm_id count held for every value of `capped` (a relation of the records derived
        again) that identity_guard_recounted_values does not count again; nothing otherwise. -#}
    {%- if since is not none %}
    union all
    select
        held.identifier_type,
        held.identifier_value,
        max(held.crm_id_count) as crm_id_count
    from {{ this }} as held
    where
        (held.identifier_type, held.identifier_value) in (
            select derived.identifier_type, derived.identifier_value from {{ capped }} as derived
        )
        and (held.identifier_type, held.identifier_value) not in (
            {{ customer_segments.identity_guard_recounted_values(since) }}
        )
    group by
        held.identifier_type,
        held.identifier_value
    {%- endif %}
{%- endmacro %}


{% macro changed_rows_prune(kind) -%}
    {#- Post-hook of a model of changed_rows_config on DuckDB: deletes the rows earlier runs
        wrote (computed_at before this run) that this run derived again, so each key is held
        once. kind `customers`: the customers int_customer_changes logged after the model's
        previous run; `web_days`: the devices and days whose web event rows base_raw ranked
        after it (web_state_touched); `records`: the identity records base_raw ranked after
        it (identity_changed_records), and every record the run wrote (int_identifiers_guarded
        derives again the holders of a value whose crm_id count may have changed); `orders`:
        every order order_state_changed lists (those the run converted again, and those that
        left: a record now quarantined, anonymous or of an erased customer). -#}
    {%- set since = customer_segments.latest_written_at('computed_at', before_this_run=true) -%}
    {%- if since is none -%}
        select 1 as nothing_to_prune
    {%- else -%}
        delete from {{ this }}
        where
            computed_at < {{ customer_segments.raw_run_time() }}
            {%- if kind == 'customers' %}
                and customer_id in ({{ customer_segments.identity_changed_customers(since) }})
            {%- elif kind == 'records' %}
                and (
                    (source, record_key) in ({{ customer_segments.identity_changed_records(since) }})
                    or (source, record_key) in (
                        select written.source, written.record_key from {{ this }} as written
                        where written.computed_at = {{ customer_segments.raw_run_time() }}
                    )
                )
            {%- elif kind == 'orders' %}
                and order_id in ({{ customer_segments.order_state_changed(since) }})
            {%- elif kind == 'web_days' %}
                and (anonymous_id, event_date) in ({{ customer_segments.web_state_touched(since) }})
            {%- else %}
                {{ exceptions.raise_compiler_error('changed_rows_prune: unknown kind ' ~ kind) }}
            {%- endif %}
    {%- endif %}
{%- endmacro %}


{% macro identity_records_rekeyed_or_written_after(since) -%}
    {#- A condition on a row of int_identifiers_guarded: with `since` (a timestamp literal) the
        row was written after it, or the key registry assigned its record after it (a merge or
        split moved the record to another customer); true with none. -#}
    {%- if since is none -%}
        true
    {%- else -%}
        (
            computed_at > {{ since }}
            or (source, record_key) in (
                select registry.source, registry.record_key from {{ ref('state_customer_keys') }} as registry
                where registry.assigned_at > {{ since }}
            )
        )
    {%- endif %}
{%- endmacro %}


{% macro identity_records_clustered_after(since) -%}
    {#- A condition on a row of int_identifiers_guarded, for int_records_clustered: with
        `since` (a timestamp literal) the row was written after it, or its record's node was
        labelled again after it (int_identity_nodes_labelled computed_at), or lies in an
        oversize cluster (int_identity_nodes_split, empty in a healthy graph); true with none.
        Record node ids are `r:<source>:<record_key>` and no source name holds a colon. -#}
    {%- if since is none -%}
        true
    {%- else -%}
        (
            computed_at > {{ since }}
            or (source, record_key) in (
                select
                    split_part(nodes.node_id, ':', 2) as source,
                    substr(nodes.node_id, length(split_part(nodes.node_id, ':', 2)) + 4) as record_key
                from (
                    select labelled.node_id from {{ ref('int_identity_nodes_labelled') }} as labelled
                    where labelled.computed_at > {{ since }}
                    union all
                    select split.node_id from {{ ref('int_identity_nodes_split') }} as split
                ) as nodes
                where nodes.node_id like 'r:%'
            )
        )
    {%- endif %}
{%- endmacro %}


{% macro identity_when_scoped(since, condition) -%}
    {#- `condition` (SQL) in an incremental run (`since` not none); true otherwise: a filter
        that only an incremental run needs. -#}
    {%- if since is none -%}
        true
    {%- else -%}
        {{ condition }}
    {%- endif %}
{%- endmacro %}
