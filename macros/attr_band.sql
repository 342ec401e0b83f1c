{% macro attr_band(expression, edges, unknown_label='unknown') -%}
    {#- Label of the half-open band [edge_i, edge_i+1) holding the value: '<e0', 'e0-(e1-1)', ...,
        'eN+'; null values get unknown_label. Edges are ascending integers. -#}
    case
        when {{ expression }} is null then '{{ unknown_label }}'
        when {{ expression }} < {{ edges[0] }} then '<{{ edges[0] }}'
        {%- for edge in edges[1:] %}
        when {{ expression }} < {{ edge }} then '{{ edges[loop.index0] }}-{{ edge - 1 }}'
        {%- endfor %}
        else '{{ edges[-1] }}+'
    end
{%- endmacro %}


{% macro attr_band_values(edges, unknown_label='unknown') -%}
    {#- Every label attr_band can return, as a list (for accepted_values tests and docs). -#}
    {%- set labels = ['<' ~ edges[0]] -%}
    {%- for edge in edges[1:] -%}
        {%- do labels.append(edges[loop.index0] ~ '-' ~ (edge - 1)) -%}
    {%- endfor -%}
    {%- do labels.append(edges[-1] ~ '+') -%}
    {%- do labels.append(unknown_label) -%}
    {{ return(labels) }}
{%- endmacro %}
