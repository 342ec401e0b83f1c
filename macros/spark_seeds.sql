{% macro spark__load_csv_rows(model, agate_table) %}
    {#- Spark: the seed rows as escaped literals (dbt-spark's own loader passes them as
        bindings that the session method formats unescaped: an apostrophe breaks the insert
        and an empty cell becomes the text None). -#}
    {%- set column_override = model['config'].get('column_types', {}) -%}
    {%- set statements = [] -%}
    {%- for chunk in agate_table.rows | batch(get_batch_size()) -%}
        {%- set sql -%}
            insert into {{ this.render() }} values
            {% for row in chunk -%}
                (
                {%- for value in row -%}
                    {%- set column_name = agate_table.column_names[loop.index0] -%}
                    {%- set type = column_override.get(column_name, adapter.convert_type(agate_table, loop.index0)) -%}
                    cast({{ customer_segments.spark_literal(value) }} as {{ type }}){{ ', ' if not loop.last }}
                {%- endfor -%}
                ){{ ',' if not loop.last }}
            {% endfor %}
        {%- endset -%}
        {%- do adapter.add_query(sql, abridge_sql_log=True) -%}
        {%- if loop.first -%}
            {%- do statements.append(sql) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(statements[0] if statements else '') }}
{% endmacro %}


{% macro spark_literal(value) -%}
    {#- A Spark SQL literal of a seed value: null, or a quoted text with backslashes and
        apostrophes escaped (Spark reads backslash escapes inside string literals). -#}
    {%- if value is none or (value is string and value == '') -%}
        null
    {%- else -%}
        {{ customer_segments.spark__sql_string(value) }}
    {%- endif -%}
{%- endmacro %}
