{% macro identity_type_priority(type_expression) -%}
    {#- 1-based position of an identifier type in identity_link_types; 9 for other types. -#}
    case {{ type_expression }}
        {%- for link_type in var('identity_link_types') %}
        when '{{ link_type }}' then {{ loop.index }}
        {%- endfor %}
        else 9
    end
{%- endmacro %}


{% macro identity_identifier_node_id(type_expression, value_expression) -%}
    {#- Identifier node id `i<priority>:<type>:<value>`: identifier nodes sort before record
        nodes and by priority, so a component's smallest node is its strongest identifier. -#}
    {{ dbt.concat(["'i'", "cast(" ~ customer_segments.identity_type_priority(type_expression) ~ " as " ~ dbt.type_string() ~ ")", "':'", type_expression, "':'", value_expression]) }}
{%- endmacro %}


{% macro identity_record_node_id(source_expression, record_key_expression) -%}
    {#- Record node id `r:<source>:<record_key>`. -#}
    {{ dbt.concat(["'r:'", source_expression, "':'", record_key_expression]) }}
{%- endmacro %}


{% macro identity_type_limit(type_expression, limits_var, default_limit=1) -%}
    {#- The per-type limit of the dict var `limits_var` (identity_max_crm_ids_per_value or
        identity_max_values_per_record); default_limit for types it does not list. -#}
    case {{ type_expression }}
        {%- for identifier_type, limit in var(limits_var).items() %}
        when '{{ identifier_type }}' then {{ limit | int }}
        {%- endfor %}
        else {{ default_limit }}
    end
{%- endmacro %}


{% macro identity_is_blocklisted(type_expression, value_expression) -%}
    {#- True when an identifier value never links: a placeholder (placeholder_emails,
        placeholder_phones, placeholder_texts) or a value of identity_blocklist. -#}
    (
        {{ customer_segments.is_placeholder_text(value_expression) }}
        {#- CASE, not AND: the pattern and digit checks run on e-mail and phone rows only. -#}
        or case when {{ type_expression }} = 'email' then {{ customer_segments.is_placeholder_email('lower(' ~ value_expression ~ ')') }} else false end
        or case
            when {{ type_expression }} = 'phone'
                then coalesce({{ customer_segments.is_placeholder_phone(value_expression, value_expression) }}, false)
            else false
        end
        {%- for identifier_type, values in var('identity_blocklist').items() if values %}
        or ({{ type_expression }} = '{{ identifier_type }}' and lower(trim({{ value_expression }})) in ({% for value in values %}'{{ value | lower }}'{{ ', ' if not loop.last }}{% endfor %}))
        {%- endfor %}
    )
{%- endmacro %}


{% macro identity_customer_key(anchor_expression) -%}
    {#- A customer key from a cluster anchor: `cus_` and 20 hex digits of its SHA-256. -#}
    {{ dbt.concat(["'cus_'", "substr(" ~ customer_segments.sha256_hex(anchor_expression) ~ ", 1, 20)"]) }}
{%- endmacro %}


{% macro identity_identifier_rows(relation, source_name, record_key, identifiers, seen_at) -%}
    {#- Unpivots a staging relation into (source, record_key, identifier_type,
        identifier_value, seen_at) rows, one per non-null identifier column.
        identifiers: {identifier_type: column expression}. -#}
    {%- for identifier_type, column in identifiers.items() %}
    select
        '{{ source_name }}' as source,
        cast({{ record_key }} as {{ dbt.type_string() }}) as record_key,
        '{{ identifier_type }}' as identifier_type,
        cast({{ column }} as {{ dbt.type_string() }}) as identifier_value,
        {{ seen_at }} as seen_at
    from {{ relation }}
    where {{ record_key }} is not null and {{ column }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{% macro identity_run_timestamp() -%}
    {#- The run's start time as a timestamp literal: one value shared by every model of a run. -#}
    cast('{{ run_started_at.strftime("%Y-%m-%d %H:%M:%S") }}' as timestamp)
{%- endmacro %}
