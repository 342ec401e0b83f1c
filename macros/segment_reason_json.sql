{% macro segment_reason_json(columns, relation_alias=none) -%}
    {#- JSON object text {column: value} of the columns a rule reads: the reason a customer is
        in a segment. Columns listed in var segment_pii_columns go through mask_pii. -#}
    {%- set pii = var('segment_pii_columns', {}) -%}
    {%- set pairs = [] -%}
    {%- for column in columns -%}
        {%- set expression = (relation_alias ~ '.' ~ column) if relation_alias else column -%}
        {%- if column in pii -%}
            {%- set expression = customer_segments.mask_pii(expression, pii[column]) -%}
        {%- endif -%}
        {%- do pairs.append((column, expression)) -%}
    {%- endfor -%}
    {{ return(adapter.dispatch('segment_reason_json', 'customer_segments')(pairs)) }}
{%- endmacro %}

{% macro default__segment_reason_json(pairs) -%}
    to_json(named_struct(
        {%- for name, expression in pairs %}
        '{{ name }}', {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    ))
{%- endmacro %}

{% macro duckdb__segment_reason_json(pairs) -%}
    cast(to_json(struct_pack(
        {%- for name, expression in pairs %}
        "{{ name }}" := {{ expression }}{{ "," if not loop.last }}
        {%- endfor %}
    )) as varchar)
{%- endmacro %}
