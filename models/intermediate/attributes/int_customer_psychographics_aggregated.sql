with

survey_responses as (
    select * from {{ ref('stg_feedback__survey_responses') }}
),

survey_records as (
    select * from {{ ref('int_records_resolved') }}
    where source = 'survey_responses'
),

products_aggregated as (
    select * from {{ ref('int_customer_products_aggregated') }}
),

as_of as (
    select * from {{ ref('int_as_of_date') }}
),

profile_answers as (
    select
        survey_records.customer_id,
        survey_responses.question_key,
        trim(survey_responses.answer_text) as answer_text
    from survey_responses
    inner join survey_records
        on survey_responses.response_id = survey_records.record_key
    cross join as_of
    where
        survey_responses.submitted_at < as_of.as_of_end_at
        and survey_responses.question_key in ('interest', 'value', 'lifestyle')
        and survey_responses.answer_text is not null
        and trim(survey_responses.answer_text) != ''
),

distinct_answers as (
    select
        customer_id,
        question_key,
        answer_text
    from profile_answers
    group by customer_id, question_key, answer_text
),

answer_lists as (
    {% for question_key, column_name in [('interest', 'interests'), ('value', 'values'), ('lifestyle', 'lifestyle')] -%}
        select
            customer_id,
            '{{ column_name }}' as list_name,
            {{ customer_segments.attr_sorted_list('answer_text', ', ') }} as answer_list
        from distinct_answers
        where question_key = '{{ question_key }}'
        group by customer_id
        {% if not loop.last %}union all{% endif %}
    {% endfor %}
),

psychographic_customers as (
    select customer_id from distinct_answers
    union
    select customer_id from products_aggregated
),

final as (
    select
        psychographic_customers.customer_id,
        max(case when answer_lists.list_name = 'interests' then answer_lists.answer_list end) as interests,
        max(case when answer_lists.list_name = 'values' then answer_lists.answer_list end) as values,
        max(case when answer_lists.list_name = 'lifestyle' then answer_lists.answer_list end) as lifestyle,
        max(products_aggregated.eco_friendly_share) as eco_friendly_share,
        coalesce(
            max(products_aggregated.eco_friendly_share) >= {{ var('attr_eco_conscious_min_share') }}, false
        ) as is_eco_conscious
    from psychographic_customers
    left join answer_lists
        on psychographic_customers.customer_id = answer_lists.customer_id
    left join products_aggregated
        on psychographic_customers.customer_id = products_aggregated.customer_id
    group by psychographic_customers.customer_id
)

select * from final
