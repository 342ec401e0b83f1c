{%- set generations = var('attr_generations') -%}

with

customers as (
    select * from {{ ref('int_customers_golden') }}
),

fx_rates as (
    select * from {{ ref('stg_finance__fx_rates') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

-- income is converted at the latest rate on or before as_of_date
income_rates as (
    select
        fx_rates.currency,
        fx_rates.rate_to_reporting,
        row_number() over (partition by fx_rates.currency order by fx_rates.rate_date desc) as rate_rank
    from fx_rates
    cross join as_of
    where fx_rates.rate_date <= as_of.as_of_date
),

customer_ages as (
    select
        customers.customer_id,
        customers.birth_date,
        case
            when customers.birth_date <= as_of.as_of_date
                then cast(
                    floor(
                        ({{ attr_date_key('as_of.as_of_date') }} - {{ attr_date_key('customers.birth_date') }}) / 10000
                    )
                    as integer
                )
        end as age,
        cast(extract(year from customers.birth_date) as integer) as birth_year,
        customers.gender,
        customers.marital_status,
        customers.children_count,
        customers.education,
        customers.occupation,
        case
            when
                coalesce(customers.income_currency, {{ customer_segments.sql_string(var("reporting_currency")) }})
                = {{ customer_segments.sql_string(var("reporting_currency")) }}
                then customers.annual_income
            else customers.annual_income * income_rates.rate_to_reporting
        end as annual_income_reporting
    from customers
    cross join as_of
    left join income_rates
        on
            customers.income_currency = income_rates.currency
            and income_rates.rate_rank = 1
),

final as (
    select
        customer_id,
        age,
        {{ attr_band('age', var('attr_age_band_edges')) }} as age_band,
        case
            when birth_year is null then 'unknown'
            {%- for generation in generations %}
                when birth_year <= {{ generation.max_birth_year }}
                    then {{ customer_segments.sql_string(generation.name) }}
            {%- endfor %}
            else 'unknown'
        end as generation,
        coalesce(gender, 'unknown') as gender,
        coalesce(marital_status, 'unknown') as marital_status,
        case
            when age >= {{ var('attr_retired_min_age') }} then 'retired'
            when children_count > 0 and age >= {{ var('attr_empty_nester_min_age') }} then 'empty_nester'
            when children_count > 0 then 'family_with_children'
            when marital_status in ('married', 'partnered') then 'couple'
            when marital_status in ('single', 'divorced', 'widowed') then 'single'
            else 'unknown'
        end as life_stage,
        case when children_count is not null then children_count > 0 end as has_children,
        children_count,
        {{ map_free_text('education', 'attr_education_values') }} as education,
        {{ attr_match_group('occupation', 'attr_occupation_groups') }} as occupation_group,
        cast(round(annual_income_reporting, 2) as decimal(18, 2)) as annual_income_reporting,
        {{ attr_band('annual_income_reporting', var('attr_income_band_edges')) }} as income_band
    from customer_ages
)

select * from final
