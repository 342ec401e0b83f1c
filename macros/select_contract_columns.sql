{% macro select_contract_columns(relation, pii_kinds={}) -%}
    {#- The body of a thin public model: the columns its contract declares (in the yml's order)
        read from one intermediate relation, those named in pii_kinds masked by mask_pii. -#}
    {%- set names = model.columns.keys() | list if execute else [] -%}
    select
    {%- for name in names %}
        {% if name in pii_kinds -%}
            {{ customer_segments.mask_pii(name, pii_kinds[name]) }} as {{ name }}
        {%- else -%}
            {{ name }}
        {%- endif %}{{ ',' if not loop.last }}
    {%- else %}
        *
    {%- endfor %}
    from {{ relation }}
{%- endmacro %}
