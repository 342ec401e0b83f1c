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
        {%- do problems.extend(customer_segments.landing_changed_files()) -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("Landing zone does not meet the contract: " ~ (problems | join('; '))) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro duckdb__register_raw_sources() -%}
    {#- DuckDB: load the landing zone as custseg.landing plans it (the same module the Great
        Expectations checkpoint reads with; the dbt-duckdb plugin custseg.dbt_plugin gives the
        connection the function custseg_landing_plan). A CSV source becomes the table
        raw.<source> (its unparsable lines go to raw.landing_rejected_lines), a Parquet source
        the view raw.<source>. The run stops with one message listing every problem: a file
        that cannot be a delivery, a source delivered twice, a missing required column or
        source, a required source without rows, a file whose lines mostly cannot be read. -#}
    {%- if execute -%}
        {%- set raw_dir = customer_segments.raw_dir() -%}
        {%- set nodes = graph.sources.values() | selectattr('source_name', 'equalto', 'raw') | list -%}
        {%- set sources = [] -%}
        {%- for node in nodes -%}
            {%- do sources.append({'name': node.name, 'required': node.meta.get('required_source', false)}) -%}
        {%- endfor -%}
        {%- set settings = {} -%}
        {%- for name in ['csv_delimiter', 'csv_encoding', 'decimal_separator', 'thousands_separator', 'date_order'] -%}
            {%- do settings.update({name: var(name)}) -%}
        {%- endfor -%}
        {%- set known = run_query("select count(*) from duckdb_functions() where function_name = 'custseg_landing_plan'").columns[0].values()[0] -%}
        {%- if known == 0 -%}
            {{ exceptions.raise_compiler_error("The DuckDB connection lacks custseg_landing_plan: add `plugins: [{module: custseg.dbt_plugin}]` to the DuckDB target of your profile (see profiles.yml) and install the custseg package") }}
        {%- endif -%}
        {%- set taken = customer_segments.landing_taken_files() -%}
        {%- set call = "select custseg_landing_plan('" ~ raw_dir ~ "', '" ~ (tojson(sources) | replace("'", "''")) ~ "', '" ~ (tojson(settings) | replace("'", "''")) ~ "', '" ~ (tojson(taken) | replace("'", "''")) ~ "')" -%}
        {%- set plan = fromjson(run_query(call).columns[0].values()[0]) -%}
        {%- set problems = plan['problems'] -%}
        {%- if not problems -%}
            {%- do run_query('create schema if not exists raw') -%}
            {#- the relations of the previous run (plain SQL: the adapter's relation calls would
                open a transaction that dbt rolls back after the hook) -#}
            {%- set names = nodes | map(attribute='name') | list -%}
            {%- set previous = run_query("select table_name, table_type from information_schema.tables where table_catalog = current_database() and table_schema = 'raw'") -%}
            {%- for row in previous.rows if row[0] in names -%}
                {%- do run_query('drop ' ~ ('view' if row[1] == 'VIEW' else 'table') ~ ' raw.' ~ row[0]) -%}
            {%- endfor -%}
            {%- for statement in plan['statements'] -%}
                {%- do run_query(statement) -%}
            {%- endfor -%}
            {%- for node in nodes if node.name in plan['loaded'] -%}
                {%- set columns = run_query('select column_name from (describe raw.' ~ node.name ~ ')').columns[0].values() -%}
                {%- do problems.extend(customer_segments.raw_source_problems(node, columns | list)) -%}
            {%- endfor -%}
            {%- for check in plan['checks'] if check -%}
                {%- do problems.extend(run_query(check).columns[0].values()) -%}
            {%- endfor -%}
            {%- do problems.extend(customer_segments.landing_changed_files()) -%}
            {%- set rejected = run_query('select count(*) from raw.landing_rejected_lines').columns[0].values()[0] -%}
            {%- set fresh = run_query('select count(*), coalesce(sum(rows_read), 0) from raw.landing_files where rows_read is not null').rows[0] -%}
            {%- do log('Landing zone ' ~ raw_dir ~ ': ' ~ (plan['found'] | length) ~ ' sources found (' ~ (plan['found'].keys() | sort | join(', ')) ~ '); ' ~ fresh[0] ~ ' new files to read (' ~ fresh[1] ~ ' rows), ' ~ (taken.values() | map('length') | sum) ~ ' taken by earlier runs; ' ~ rejected ~ ' unreadable lines set aside for quarantine', info=true) -%}
            {%- for node in nodes if node.meta.get('required_source') and node.name not in plan['found'] -%}
                {%- do problems.append("required source '" ~ node.name ~ "' was not found in " ~ raw_dir ~ " (expected " ~ node.name ~ ".csv, " ~ node.name ~ ".parquet or a folder " ~ node.name ~ "/ of .csv or .parquet files)") -%}
            {%- endfor -%}
        {%- endif -%}
        {%- if problems -%}
            {{ exceptions.raise_compiler_error("Landing zone does not meet the contract: " ~ (problems | join('; '))) }}
        {%- endif -%}
    {%- endif -%}
{%- endmacro %}


{% macro landing_changed_files() -%}
    {#- The processed landing files that changed since a run took them, as messages: the listing
        raw.landing_files of this run start (custseg/ledger.py) against the model
        delivery_ledger as an earlier run left it, and against the hashes the base models
        base_checked__<source> keep of the files they hold (dq_file_sha256; they catch a
        change when a run built base models but not the ledger). None on the first run,
        without a listing, or under --full-refresh (which reads every file again).
        Example: do problems.extend(customer_segments.landing_changed_files()) -#}
    {%- if flags.FULL_REFRESH or not customer_segments.hook_relation_exists('raw', 'landing_files') -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set held = [] -%}
    {%- set ledger = customer_segments.hook_model_relation('delivery_ledger') -%}
    {%- if ledger is not none -%}
        {%- do held.append("select file_path, content_sha256, concat('run ', processed_by_run, ' took it at ', cast(processed_at as string)) as taken, 0 as priority from " ~ ledger) -%}
    {%- endif -%}
    {%- for source_node in graph.sources.values() if source_node.source_name == 'raw' -%}
        {%- set relation = customer_segments.hook_model_relation('base_checked__' ~ source_node.name) -%}
        {%- if relation is not none -%}
            {%- do held.append("select distinct dq_file_path as file_path, dq_file_sha256 as content_sha256, '" ~ relation.identifier ~ " holds its rows' as taken, 1 as priority from " ~ relation ~ " where dq_file_sha256 is not null") -%}
        {%- endif -%}
    {%- endfor -%}
    {%- if not held -%}
        {{ return([]) }}
    {%- endif -%}
    {%- set query -%}
        select concat(
            listed.file_path, ' changed after it was processed (', min_by(held.taken, held.priority),
            '; then sha256 ', substr(min_by(held.content_sha256, held.priority), 1, 12), '..., now ',
            cast(listed.file_size as string), ' bytes, sha256 ',
            substr(listed.content_sha256, 1, 12), '...). A processed delivery must not change: ',
            'put the file back as it was and deliver corrections in a new file, or rebuild ',
            'everything from the landing zone as it is now with --full-refresh'
        ) as problem
        from raw.landing_files as listed
        inner join ({{ held | join(' union all ') }}) as held on listed.file_path = held.file_path
        where listed.content_sha256 <> held.content_sha256
        group by listed.file_path, listed.file_size, listed.content_sha256
        order by listed.file_path
    {%- endset -%}
    {{ return(run_query(query).columns[0].values() | list) }}
{%- endmacro %}


{% macro landing_taken_files() -%}
    {#- The landing files each base model already holds, {source: [file_path, ...]} (the files
        base_checked__<source> took in earlier runs): the run-start load reads only the others.
        Empty under --full-refresh and for a base model not built yet.
        Example: landing_taken_files() -> {'orders': ['orders/2026-09-01.csv', ...], ...} -#}
    {%- set taken = {} -%}
    {%- if flags.FULL_REFRESH -%}
        {{ return(taken) }}
    {%- endif -%}
    {%- for node in graph.sources.values() if node.source_name == 'raw' -%}
        {%- set relation = customer_segments.hook_model_relation('base_checked__' ~ node.name) -%}
        {%- if relation is not none -%}
            {%- set files = run_query('select distinct dq_file_path from ' ~ relation ~ ' where dq_file_path is not null').columns[0].values() -%}
            {%- do taken.update({node.name: files | list}) -%}
        {%- endif -%}
    {%- endfor -%}
    {{ return(taken) }}
{%- endmacro %}


{% macro hook_model_relation(model_name) -%}
    {#- The relation of a model of this project when it exists in the database, else none,
        asked as a run-start hook may ask it (hook_relation_exists).
        Example: hook_model_relation('delivery_ledger') -> "db"."marts"."delivery_ledger" -#}
    {%- set model = graph.nodes.get('model.' ~ project_name ~ '.' ~ model_name) -%}
    {%- if model is none or not customer_segments.hook_relation_exists(model.schema, model.alias) -%}
        {{ return(none) }}
    {%- endif -%}
    {{ return(api.Relation.create(database=model.database, schema=model.schema, identifier=model.alias)) }}
{%- endmacro %}


{% macro hook_relation_exists(schema, identifier) -%}
    {#- True when schema.identifier exists, asked in a way a run-start hook may ask it.
        Example: hook_relation_exists('raw', 'landing_files') -#}
    {{ return(adapter.dispatch('hook_relation_exists', 'customer_segments')(schema, identifier)) }}
{%- endmacro %}


{% macro default__hook_relation_exists(schema, identifier) -%}
    {{ return(adapter.get_relation(database=none, schema=schema, identifier=identifier) is not none) }}
{%- endmacro %}


{% macro duckdb__hook_relation_exists(schema, identifier) -%}
    {#- plain SQL: the adapter's relation calls would open a transaction that dbt rolls back
        after the hook -#}
    {%- set found = run_query("select count(*) from information_schema.tables where table_catalog = current_database() and table_schema = '" ~ schema ~ "' and table_name = '" ~ identifier ~ "'") -%}
    {{ return(found.columns[0].values()[0] > 0) }}
{%- endmacro %}
