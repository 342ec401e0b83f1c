{% macro raw_dir() -%}
    {#- The landing-zone folder: the dbt var `raw_dir`, else the RAW_DIR environment variable,
        else the generated sample folder. -#}
    {%- set value = var('raw_dir', env_var('RAW_DIR', 'sample_data')) | string -%}
    {{ return(value | trim | replace('\\', '/') | replace("'", "''")) }}
{%- endmacro %}


{% macro raw_source_node(source_name) -%}
    {%- set key = 'source.' ~ project_name ~ '.raw.' ~ source_name -%}
    {%- if key not in graph.sources -%}
        {{ exceptions.raise_compiler_error("Unknown raw source '" ~ source_name ~ "': it is not declared in models/staging/_raw__sources.yml") }}
    {%- endif -%}
    {{ return(graph.sources[key]) }}
{%- endmacro %}


{% macro raw_source_problems(source_node, present_columns) -%}
    {#- Contract check for one landing source: the required columns it lacks, as messages. -#}
    {%- set problems = [] -%}
    {%- set lowered = present_columns | map('lower') | list -%}
    {%- for column in source_node.meta.get('required_columns', []) -%}
        {%- if column not in lowered -%}
            {%- do problems.append("source '" ~ source_node.name ~ "' is missing required column '" ~ column ~ "'") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- set one_of = source_node.meta.get('required_one_of', []) -%}
    {%- if one_of and (one_of | select('in', lowered) | list | length) == 0 -%}
        {%- do problems.append("source '" ~ source_node.name ~ "' needs at least one of the columns " ~ (one_of | join(', '))) -%}
    {%- endif -%}
    {{ return(problems) }}
{%- endmacro %}


{% macro raw_relation_columns(source_name) -%}
    {#- Columns of a landing source as it exists now: {lower-case name: actual name}, or none
        when the source is absent. -#}
    {%- set relation = source('raw', source_name) -%}
    {%- set existing = adapter.get_relation(database=relation.database, schema=relation.schema, identifier=relation.identifier) -%}
    {%- if existing is none -%}
        {{ return(none) }}
    {%- endif -%}
    {%- set columns = {} -%}
    {%- for column in adapter.get_columns_in_relation(existing) -%}
        {%- do columns.update({column.name | lower: column.name}) -%}
    {%- endfor -%}
    {{ return(columns) }}
{%- endmacro %}


{% macro register_raw_sources() -%}
    {{ return(adapter.dispatch('register_raw_sources', 'customer_segments')()) }}
{%- endmacro %}


{% macro default__register_raw_sources() -%}
    {#- Distributed engines: the landing tables already live in the `raw` schema; only check
        that every present source carries its required columns. -#}
    {%- if execute -%}
        {%- set problems = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- set columns = customer_segments.raw_relation_columns(node.name) -%}
            {%- if columns is not none -%}
                {%- do problems.extend(customer_segments.raw_source_problems(node, columns.keys() | list)) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("Landing zone does not meet the contract: " ~ (problems | join('; '))) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb_raw_reader(raw_dir, source_name) -%}
    {#- The DuckDB table function that reads one landing source, or none when it is absent.
        Precedence: <name>.parquet, then a folder <name>/ of Parquet files, then <name>.csv. -#}
    {%- set base = raw_dir ~ '/' ~ source_name -%}
    {%- set probe -%}
        select
            (select count(*) from glob('{{ base }}.parquet')) as parquet_files,
            (select count(*) from glob('{{ base }}/*.parquet')) as folder_files,
            (select count(*) from glob('{{ base }}.csv')) as csv_files
    {%- endset -%}
    {%- set found = run_query(probe).rows[0] -%}
    {%- if found[0] > 0 -%}
        {{ return("read_parquet('" ~ base ~ ".parquet')") }}
    {%- elif found[1] > 0 -%}
        {{ return("read_parquet('" ~ base ~ "/*.parquet', union_by_name = true)") }}
    {%- elif found[2] > 0 -%}
        {{ return("read_csv('" ~ base ~ ".csv', header = true, delim = ',', quote = '\"', escape = '\"', all_varchar = true)") }}
    {%- endif -%}
    {{ return(none) }}
{%- endmacro %}


{% macro duckdb__register_raw_sources() -%}
    {#- DuckDB: expose each landing file as a view raw.<source>, drop the views of absent
        sources, and stop the run with one message if a source lacks a required column or a
        required source (meta.required_source) is absent. -#}
    {%- if execute -%}
        {%- set raw_dir = customer_segments.raw_dir() -%}
        {%- do run_query('create schema if not exists raw') -%}
        {%- set problems = [] -%}
        {%- set registered = [] -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
            {%- set reader = customer_segments.duckdb_raw_reader(raw_dir, node.name) -%}
            {%- if reader is none -%}
                {%- do run_query('drop view if exists raw.' ~ node.name) -%}
            {%- else -%}
                {%- do run_query('create or replace view raw.' ~ node.name ~ ' as select * from ' ~ reader) -%}
                {%- set columns = run_query('select column_name from (describe raw.' ~ node.name ~ ')').columns[0].values() -%}
                {%- do problems.extend(customer_segments.raw_source_problems(node, columns | list)) -%}
                {%- do registered.append(node.name) -%}
            {%- endif -%}
        {%- endfor -%}
        {%- do log('Landing zone ' ~ raw_dir ~ ': ' ~ (registered | length) ~ ' sources found (' ~ (registered | sort | join(', ')) ~ ')', info=true) -%}
        {%- for node in graph.sources.values() if node.source_name == 'raw' and node.meta.get('required_source') and node.name not in registered -%}
            {%- do problems.append("required source '" ~ node.name ~ "' was not found in " ~ raw_dir ~ " (expected " ~ node.name ~ ".csv, " ~ node.name ~ ".parquet or a folder " ~ node.name ~ "/ of Parquet files)") -%}
        {%- endfor -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("Landing zone does not meet the contract: " ~ (problems | join('; '))) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}
