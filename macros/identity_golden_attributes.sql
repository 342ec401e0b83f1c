{% macro identity_golden_attributes() -%}
    {#- The golden-record attributes of `customers` and their SQL types, in output order. -#}
    {{ return({
        'first_name': dbt.type_string(),
        'last_name': dbt.type_string(),
        'full_name': dbt.type_string(),
        'email': dbt.type_string(),
        'phone': dbt.type_string(),
        'birth_date': 'date',
        'gender': dbt.type_string(),
        'marital_status': dbt.type_string(),
        'children_count': dbt.type_int(),
        'education': dbt.type_string(),
        'occupation': dbt.type_string(),
        'annual_income': 'decimal(18, 2)',
        'income_currency': dbt.type_string(),
        'city': dbt.type_string(),
        'region': dbt.type_string(),
        'postal_code': dbt.type_string(),
        'country_code': dbt.type_string(),
        'latitude': 'double',
        'longitude': 'double',
        'urbanicity': dbt.type_string(),
        'preferred_language': dbt.type_string(),
        'loyalty_card_id': dbt.type_string(),
        'customer_type': dbt.type_string(),
        'company_name': dbt.type_string(),
        'industry': dbt.type_string(),
        'employee_count': dbt.type_int(),
        'is_marketing_opt_in': dbt.type_boolean(),
    }) }}
{%- endmacro %}


{% macro identity_attribute_rows(relation, source_name, record_key, attributes, seen_at) -%}
    {#- Unpivots attribute columns of a relation that carries the record's customer_id (a
        staging relation joined once to int_records_resolved) into (customer_id,
        attribute_name, attribute_value, source, record_key, seen_at) rows, one per non-null
        value. attributes: {name: expression}. -#}
    {%- for attribute_name, expression in attributes.items() %}
    select
        customer_id,
        '{{ attribute_name }}' as attribute_name,
        cast({{ expression }} as {{ dbt.type_string() }}) as attribute_value,
        '{{ source_name }}' as source,
        cast({{ record_key }} as {{ dbt.type_string() }}) as record_key,
        {{ seen_at }} as seen_at
    from {{ relation }}
    where {{ expression }} is not null
    {%- if not loop.last %}
    union all
    {%- endif %}
    {%- endfor %}
{%- endmacro %}


{% macro identity_records_resolved(relation, source_name, record_key) -%}
    {#- The rows of a staging relation with the customer_id of their record: one join to
        int_records_resolved (alias `resolved`) shared by every attribute of the source. -#}
    select
        {{ relation }}.*,
        resolved.customer_id
    from {{ relation }}
    inner join resolved
        on
            resolved.source = '{{ source_name }}'
            and resolved.record_key = cast({{ relation }}.{{ record_key }} as {{ dbt.type_string() }})
{%- endmacro %}


{% macro identity_source_priority(source_expression) -%}
    {#- 1-based position of a source in identity_attribute_source_priority; 99 otherwise. -#}
    case {{ source_expression }}
        {%- for source_name in var('identity_attribute_source_priority') %}
        when '{{ source_name }}' then {{ loop.index }}
        {%- endfor %}
        else 99
    end
{%- endmacro %}
