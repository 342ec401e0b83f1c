{{ validate_raw_source(
    'survey_responses',
    key=['response_id', 'question_key'],
    event_time_column='submitted_at',
    extra_row_rules=[
        ('score_out_of_range', "question_key__value = 'nps_score' and answer_score__value not between 0 and 10"),
        ('score_out_of_range', "question_key__value = 'csat_score' and answer_score__value not between 1 and 5"),
    ],
) }}
