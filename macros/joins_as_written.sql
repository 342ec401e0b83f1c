{% macro joins_as_written() -%}
    {#- Pre-hook: run the model's joins in the order they are written, with the optimizer's
        join reordering off. On DuckDB the option is instance-wide: with several dbt threads it
        also holds for a model built alongside, which changes that model's speed, never its
        result. Post-hook: joins_reordered(). -#}
    {{ return(adapter.dispatch('joins_as_written', 'customer_segments')()) }}
{%- endmacro %}

{% macro default__joins_as_written() -%}
    {#- Spark runs joins as written unless spark.sql.cbo.joinReorder.enabled is set: nothing to do. -#}
{%- endmacro %}

{% macro duckdb__joins_as_written() -%}
    set global disabled_optimizers = 'join_order'
{%- endmacro %}


{% macro joins_reordered() -%}
    {#- Post-hook: the optimizer's join reordering back on (undoes joins_as_written). -#}
    {{ return(adapter.dispatch('joins_reordered', 'customer_segments')()) }}
{%- endmacro %}

{% macro default__joins_reordered() -%}
{%- endmacro %}

{% macro duckdb__joins_reordered() -%}
    reset global disabled_optimizers
{%- endmacro %}
