{% macro segment_reason_json(columns, relation_alias=none) -%}
    {#- JSON object text {column: value} of the columns a rule reads: the reason a customer is
        in a segment. Columns listed in var segment_pii_columns go through mask_pii. -#}
    {%- set pii = var('segment_pii_columns', {}) -%}
    {%- set expressions = {} -%}
    {%- for column in columns -%}
        {%- set expression = (relation_alias ~ '.' ~ column) if relation_alias else column -%}
        {%- if column in pii -%}
            {%- set expression = customer_segments.mask_pii(expression, pii[column]) -%}
        {%- endif -%}
        {%- do expressions.update({column: expression}) -%}
    {%- endfor -%}
    {{ return(customer_segments.json_object(columns, expressions)) }}
{%- endmacro %}
