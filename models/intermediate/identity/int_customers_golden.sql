{#- The golden record: one row per customer (buyers, CRM members and prospects from leads),
    each attribute from the surviving record (identity_attribute_source_priority, then most
    recent) with its `<attribute>_source`. Erased customers are not here. Personal data is
    kept as is: the marts mask it (var mask_pii). On DuckDB incremental: a run derives again
    only the customers int_customer_changes logged after the model's last run. -#}
{{ config(**changed_rows_config('customers')) }}
-- depends_on: {{ ref('int_customer_changes') }}
{%- set attributes = identity_golden_attributes() %}
{%- set since = latest_written_at('computed_at') %}
with

resolved as (
    select * from {{ ref('int_records_resolved') }}
    {%- if since is not none %}
        where customer_id in ({{ identity_changed_customers(since) }})
    {%- endif %}
),

survived as (
    select * from {{ ref('int_customer_attributes_survived') }}
    {%- if since is not none %}
        where customer_id in ({{ identity_changed_customers(since) }})
    {%- endif %}
),

customer_records as (
    select
        customer_id,
        min(first_seen_at) as first_seen_at,
        sum(case when source = 'orders' then 1 else 0 end) as order_record_count,
        sum(case when source = 'crm_customers' then 1 else 0 end) as crm_record_count
    from resolved
    group by customer_id
),

pivoted as (
    select
        customer_id,
        {% for attribute_name in attributes -%}
            max(case when attribute_name = '{{ attribute_name }}' then attribute_value end) as {{ attribute_name }},
            max(case when attribute_name = '{{ attribute_name }}' then attribute_source end)
                as {{ attribute_name }}_source,
        {% endfor %}
        count(*) as attribute_count
    from survived
    group by customer_id
),

final as (
    select
        customer_records.customer_id,
        {% for attribute_name, data_type in attributes.items() -%}
            {% if attribute_name == 'customer_type' -%}
                coalesce(pivoted.customer_type, 'person') as customer_type,
            {% else -%}
                cast(pivoted.{{ attribute_name }} as {{ data_type }}) as {{ attribute_name }},
            {% endif %}
        {% endfor %}
        customer_records.first_seen_at,
        customer_records.order_record_count > 0 as has_purchased,
        customer_records.order_record_count = 0 as is_prospect,
        cast(customer_records.crm_record_count as {{ dbt.type_int() }}) as crm_record_count,
        {% for attribute_name in attributes -%}
            {% if attribute_name == 'customer_type' -%}
                coalesce(pivoted.customer_type_source, 'default') as customer_type_source
            {%- else -%}
                pivoted.{{ attribute_name }}_source
            {%- endif %},
        {% endfor %}
        {{ raw_run_time() }} as computed_at
    from customer_records
    left join pivoted
        on customer_records.customer_id = pivoted.customer_id
)

select * from final
